import PaceJSON
import Testing

/// Since-resume replays each kind of change issue 17 added: pins, thread replies, edits, read
/// positions, member role changes and archiving, each in its latest state.
@Suite("Team chat: since-resume replays every new kind of change")
struct TeamResumeTests {
    @Test func pinsRepliesEditsReadsRolesAndArchivingReplay() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), ada = try app.makeUser("ada"), bob = try app.makeUser("bob")
        let created = try app.call("POST", "/api/v1/conversations", json: #"{"type":"channel","name":"general"}"#, token: ann.token)
        let channel = try #require(created.body["id"]?.stringValue)
        try app.add(ada, to: channel, as: "admin", by: ann)
        #expect(try app.call("POST", "/api/v1/conversations/\(channel)/join", token: bob.token).status == 200)
        let first = try app.send(ann, channel, "first")
        let since = try #require(first["seq"]?.int64Value)
        let firstID = try #require(first["id"]?.stringValue)
        let base = "/api/v1/conversations/\(channel)"

        #expect((200...204).contains(try app.call("PUT", "\(base)/messages/\(firstID)/pin", token: ann.token).status))
        let root = try #require(try app.send(ann, channel, "root")["id"]?.stringValue)
        let reply = try app.call("POST", "\(base)/messages", json: #"{"body":"in thread","thread_root":"\#(root)"}"#, token: ada.token)
        let replyID = try #require(reply.body["id"]?.stringValue)
        #expect(try app.call("PATCH", "\(base)/messages/\(root)", json: #"{"body":"root, edited"}"#, token: ann.token).status == 200)
        #expect(try app.call("POST", "\(base)/read", json: #"{"message_id":"\#(replyID)"}"#, token: ada.token).status == 204)
        // The owner leaves: the admin takes over (a role change), then archives the channel.
        #expect(try app.call("POST", "\(base)/leave", token: ann.token).status == 204)
        #expect(try app.call("POST", "\(base)/archive", token: ada.token).status == 200)

        let resumed = try ChatClient(app, token: bob.token, query: "since=\(since)")
        #expect(resumed.next("hello") != nil)
        // Messages created after `since` replay as message.new in their latest state.
        var new: [String: JSONValue] = [:]
        while new.count < 2, let frame = resumed.next("message.new") {
            if let id = frame["message"]?["id"]?.stringValue { new[id] = frame["message"] }
        }
        #expect(new[replyID]?["thread_root_id"]?.stringValue == root, "the thread reply")
        #expect(new[root]?["body"]?.stringValue == "root, edited", "the edit")
        #expect(new[root]?["thread"]?["reply_count"]?.int64Value == 1, "the root's thread summary")
        let pinned = try #require(resumed.next("message.updated")?["message"])
        #expect(pinned["id"]?.stringValue == firstID)
        #expect(pinned["pinned"]?.boolValue == true, "the pin")
        let receipt = try #require(resumed.next("receipt"))
        #expect(receipt["user_id"]?.stringValue == ada.idString)
        #expect(receipt["message_id"]?.stringValue == replyID)
        let conversation = try #require(resumed.next("conversation.updated")?["conversation"])
        #expect(conversation["archived"]?.boolValue == true, "the archive")
        let roles = (conversation["members"]?.arrayValue ?? []).reduce(into: [String: String]()) { roles, member in
            if let id = member["user_id"]?.stringValue ?? member["id"]?.stringValue { roles[id] = member["role"]?.stringValue }
        }
        #expect(roles[ada.idString] == "owner", "the role change")
        #expect(roles[ann.idString] == nil)
    }
}

extension TeamResumeTests {
    @Test func theOwnerChangesRolesWhichReachMembersLiveAndOnResume() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let created = try app.call("POST", "/api/v1/conversations", json: #"{"type":"channel","name":"general"}"#, token: ann.token)
        let channel = try #require(created.body["id"]?.stringValue)
        for user in [bob, cat] {
            #expect(try app.call("POST", "/api/v1/conversations/\(channel)/join", token: user.token).status == 200)
        }
        let since = try #require(try app.send(ann, channel, "hello")["seq"]?.int64Value)
        func path(_ user: TestUser) -> String { "/api/v1/conversations/\(channel)/members/\(user.id)" }
        func role(_ conversation: JSONValue?, _ user: TestUser) -> String? {
            conversation?["members"]?.arrayValue?.first { $0["user_id"]?.stringValue == user.idString }?["role"]?.stringValue
        }
        let refusals: [(TestUser, TestUser, String, Int, String)] = [
            (bob, cat, #"{"role":"admin"}"#, 403, "forbidden"),
            (ann, ann, #"{"role":"member"}"#, 403, "forbidden"),
            (ann, bob, #"{"role":"owner"}"#, 422, "validation_failed"),
            (ann, bob, #"{}"#, 422, "validation_failed"),
            (ann, bob, #"{"role":null}"#, 422, "validation_failed"),
            (ann, bob, #"{"role":"admin","muted_until":"soon"}"#, 422, "validation_failed"),
        ]
        for (caller, target, json, status, code) in refusals {
            let refused = try app.call("PATCH", path(target), json: json, token: caller.token)
            #expect(refused.status == status, "\(json)")
            #expect(refused.body["error"]?["code"]?.stringValue == code, "\(json)")
        }
        let live = try ChatClient(app, token: cat.token)
        #expect(live.next("hello") != nil)
        let promoted = try app.call("PATCH", path(bob), json: #"{"role":"admin"}"#, token: ann.token)
        #expect(promoted.status == 200)
        #expect(role(promoted.body, bob) == "admin")
        var heard: JSONValue?
        for _ in 0..<3 where role(heard, bob) != "admin" { heard = live.next("conversation.updated")?["conversation"] }
        #expect(role(heard, bob) == "admin", "members hear the role change")
        // The new admin may now mute a plain member.
        #expect(try app.call("PATCH", path(cat), json: #"{"muted_until":"2999-01-01T00:00:00Z"}"#, token: bob.token).status == 200)
        let resumed = try ChatClient(app, token: cat.token, query: "since=\(since)")
        #expect(resumed.next("hello") != nil)
        let replayed = try #require(resumed.next("conversation.updated")?["conversation"])
        #expect(role(replayed, bob) == "admin", "the role change replays")
        let demoted = try app.call("PATCH", path(bob), json: #"{"role":"member"}"#, token: ann.token)
        #expect(role(demoted.body, bob) == "member")
    }
}
