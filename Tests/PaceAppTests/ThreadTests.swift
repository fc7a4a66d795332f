import PaceJSON
import Testing

@Suite("Threads: replies, root summaries, pages, following")
struct ThreadTests {
    private func reply(_ app: TestApp, _ user: TestUser, _ conversation: String, root: String,
                       _ body: String) throws -> (status: Int, body: JSONValue) {
        try app.call("POST", "/api/v1/conversations/\(conversation)/messages",
                     json: #"{"body":"\#(body)","thread_root":"\#(root)"}"#, token: user.token)
    }

    @Test func repliesUpdateTheRootAndPageInOrder() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        let root = try #require(try app.send(ann, room, "plan?")["id"]?.stringValue)
        let first = try reply(app, bob, room, root: root, "yes")
        #expect(first.status == 201)
        #expect(first.body["thread_root_id"]?.stringValue == root)
        let firstID = try #require(first.body["id"]?.stringValue)
        #expect(try reply(app, cat, room, root: root, "no").status == 201)
        #expect(try reply(app, bob, room, root: root, "maybe").status == 201)
        let page = try app.call("GET", "/api/v1/conversations/\(room)/messages/\(root)/thread?limit=2", token: cat.token)
        #expect(page.status == 200)
        #expect(page.body["root"]?["thread"]?["reply_count"]?.int64Value == 3)
        #expect(page.body["root"]?["thread"]?["participants"]?.arrayValue?.compactMap(\.stringValue) == [bob.idString, cat.idString])
        #expect(page.body["replies"]?.arrayValue?.compactMap { $0["body"]?.stringValue } == ["yes", "no"])
        #expect(page.body["has_more"]?.boolValue == true)
        let last = try #require(page.body["replies"]?[1]?["seq"]?.int64Value)
        let rest = try app.call("GET", "/api/v1/conversations/\(room)/messages/\(root)/thread?after=\(last)", token: cat.token)
        #expect(rest.body["replies"]?.arrayValue?.compactMap { $0["body"]?.stringValue } == ["maybe"])
        #expect(try app.call("DELETE", "/api/v1/conversations/\(room)/messages/\(firstID)", token: bob.token).status == 204)
        let history = try app.call("GET", "/api/v1/conversations/\(room)/messages", token: ann.token)
        let rootInHistory = history.body["messages"]?.arrayValue?.first { $0["id"]?.stringValue == root }
        #expect(rootInHistory?["thread"]?["reply_count"]?.int64Value == 2, "a deleted reply no longer counts")
        #expect(rootInHistory?["thread"]?["last_reply_at"]?.stringValue != nil)
    }

    @Test func repliesToRepliesOrAcrossConversationsAreRefusedWritingNothing() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob]), other = try app.group(ann, [bob], title: "Other")
        let root = try #require(try app.send(ann, room, "root")["id"]?.stringValue)
        let elsewhere = try #require(try app.send(ann, other, "elsewhere")["id"]?.stringValue)
        let child = try #require(try reply(app, bob, room, root: root, "child").body["id"]?.stringValue)
        for (target, conversation) in [(child, room), (elsewhere, room), ("999999", room)] {
            let refused = try reply(app, bob, conversation, root: target, "nope")
            #expect(refused.status == 422)
            #expect(refused.body["error"]?["details"]?[0]?["field"]?.stringValue == "thread_root")
        }
        let page = try app.call("GET", "/api/v1/conversations/\(room)/messages", token: ann.token)
        #expect(page.body["messages"]?.arrayValue?.count == 2, "refusals store nothing")
        #expect(try app.call("GET", "/api/v1/conversations/\(room)/messages/\(child)/thread", token: ann.token).status == 422)
    }

    @Test func followingIsPerUserAndRepliesReachMembersLiveAndOnResume() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let rootMessage = try app.send(ann, room, "root")
        let root = try #require(rootMessage["id"]?.stringValue)
        let since = try #require(rootMessage["seq"]?.int64Value)
        let thread = "/api/v1/conversations/\(room)/messages/\(root)/thread"
        let live = try ChatClient(app, token: ann.token)
        #expect(live.next("hello") != nil)
        #expect(try reply(app, bob, room, root: root, "in thread").status == 201)
        // The root itself may still reach the new socket live: the hub fans out after the answer.
        var frame = live.next("message.new")
        if frame?["message"]?["id"]?.stringValue == root { frame = live.next("message.new") }
        #expect(frame?["message"]?["thread_root_id"]?.stringValue == root)
        let resumed = try ChatClient(app, token: ann.token, query: "since=\(since)")
        #expect(resumed.next("message.new")?["message"]?["thread_root_id"]?.stringValue == root)
        #expect(try app.call("GET", thread, token: ann.token).body["following"]?.boolValue == true, "the author follows")
        #expect(try app.call("DELETE", thread + "/follow", token: ann.token).status == 204)
        #expect(try app.call("GET", thread, token: ann.token).body["following"]?.boolValue == false)
        #expect(try reply(app, bob, room, root: root, "again").status == 201)
        #expect(try app.call("GET", thread, token: ann.token).body["following"]?.boolValue == false, "an unfollow sticks")
        #expect(try app.call("PUT", thread + "/follow", token: ann.token).status == 204)
        #expect(try app.call("GET", thread, token: ann.token).body["following"]?.boolValue == true)
        #expect(try app.call("PUT", thread + "/follow", token: eve.token).status == 404)
        #expect(try app.call("GET", thread, token: eve.token).status == 404)
    }
}
