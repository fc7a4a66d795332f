import PaceJSON
import PaceSystem
import Synchronization
import Testing

@Suite("Conversations: create")
struct ConversationCreateTests {
    @Test func directIsGetOrCreateFromEitherSide() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let first = try app.call("POST", "/api/v1/conversations", json: #"{"type":"direct","member_ids":["\#(bob.id)"]}"#,
                                 token: ann.token)
        #expect(first.status == 201)
        #expect(first.body["type"]?.stringValue == "direct")
        #expect(first.body["title"] == .null)
        #expect(first.body["last_message"] == .null)
        #expect(first.body["unread_count"]?.int64Value == 0)
        let members = first.body["members"]?.arrayValue ?? []
        #expect(Set(members.compactMap { $0["user_id"]?.stringValue }) == [ann.idString, bob.idString])
        #expect(members.allSatisfy { $0["role"]?.stringValue == "member" })
        let again = try app.call("POST", "/api/v1/conversations", json: #"{"type":"direct","member_ids":[\#(ann.id)]}"#,
                                 token: bob.token)
        #expect(again.status == 200)
        #expect(again.body["id"] == first.body["id"])
    }

    @Test func concurrentDirectCreatesMakeOneConversation() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let ids = Mutex<[String]>([])
        let statuses = Mutex<[Int]>([])
        var threads: [OSThread] = []
        for index in 0..<8 {
            let (caller, other) = index % 2 == 0 ? (ann, bob) : (bob, ann)
            threads.append(try OSThread(name: "create") {
                guard let answer = try? app.call("POST", "/api/v1/conversations",
                                                 json: #"{"type":"direct","member_ids":["\#(other.id)"]}"#,
                                                 token: caller.token) else { return }
                statuses.withLock { $0.append(answer.status) }
                if let id = answer.body["id"]?.stringValue { ids.withLock { $0.append(id) } }
            })
        }
        for thread in threads { thread.join() }
        #expect(ids.withLock { Set($0).count } == 1)
        #expect(ids.withLock { $0.count } == 8)
        #expect(statuses.withLock { $0.filter { $0 == 201 }.count } == 1)
    }

    @Test func aDirectConversationWithOneselfHasOneMember() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let notes = try app.call("POST", "/api/v1/conversations", json: #"{"type":"direct","member_ids":["\#(ann.id)"]}"#,
                                 token: ann.token)
        #expect(notes.status == 201)
        #expect(notes.body["members"]?.arrayValue?.count == 1)
    }

    @Test func groupCallerIsOwnerAndMembersAreValidated() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let created = try app.call("POST", "/api/v1/conversations",
                                   json: #"{"type":"group","title":"  Team  ","member_ids":["\#(bob.id)","\#(ann.id)","\#(bob.id)"]}"#,
                                   token: ann.token)
        #expect(created.status == 201)
        #expect(created.body["title"]?.stringValue == "Team")
        let roles = (created.body["members"]?.arrayValue ?? []).map {
            ($0["user_id"]?.stringValue ?? "", $0["role"]?.stringValue ?? "")
        }
        #expect(roles.count == 2)
        #expect(roles.contains { $0 == (ann.idString, "owner") })
        #expect(roles.contains { $0 == (bob.idString, "member") })
        let unknown = try app.call("POST", "/api/v1/conversations",
                                   json: #"{"type":"group","title":"T","member_ids":["\#(bob.id)","999999"]}"#, token: ann.token)
        #expect(unknown.status == 422)
        #expect(unknown.body["error"]?["details"]?[0]?["problem"]?.stringValue == "no such user: 999999")
    }

    @Test(arguments: [
        (#"{"type":"group","member_ids":[]}"#, "title"),
        (#"{"type":"group","title":"   ","member_ids":[]}"#, "title"),
        (#"{"type":"group","title":"\#(String(repeating: "x", count: 101))"}"#, "title"),
        (#"{"type":"group","title":"T","member_ids":"1"}"#, "member_ids"),
        (#"{"type":"group","title":"T","member_ids":["x"]}"#, "member_ids[0]"),
        (#"{"type":"direct","member_ids":[]}"#, "member_ids"),
        (#"{"type":"direct","member_ids":["1","2"]}"#, "member_ids"),
        (#"{"type":"direct"}"#, "member_ids"),
        (#"{"type":"broadcast"}"#, "type"),
        (#"{"type":"channel"}"#, "name"),
        (#"{}"#, "type"),
    ])
    func invalidBodiesAre422(body: String, field: String) throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let answer = try app.call("POST", "/api/v1/conversations", json: body, token: ann.token)
        #expect(answer.status == 422)
        #expect(answer.body["error"]?["code"]?.stringValue == "validation_failed")
        #expect(answer.body["error"]?["details"]?[0]?["field"]?.stringValue == field)
    }

    @Test func titleOfExactly100CharactersIsAccepted() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let title = String(repeating: "é", count: 100)
        let answer = try app.call("POST", "/api/v1/conversations", json: #"{"type":"group","title":"\#(title)"}"#,
                                  token: ann.token)
        #expect(answer.status == 201)
        #expect(answer.body["title"]?.stringValue == title)
    }

    @Test func directWithAnUnknownUserIs422AndBadRequestsAreRefused() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let unknown = try app.call("POST", "/api/v1/conversations", json: #"{"type":"direct","member_ids":["424242"]}"#,
                                   token: ann.token)
        #expect(unknown.status == 422)
        let broken = try app.call("POST", "/api/v1/conversations", json: "{", token: ann.token)
        #expect(broken.status == 400)
        #expect(broken.body["error"]?["code"]?.stringValue == "invalid_json")
        let text = try app.request("POST", "/api/v1/conversations", body: Array("{}".utf8), contentType: "text/plain",
                                   token: ann.token)
        #expect(text.status == 415)
        let anonymous = try app.call("POST", "/api/v1/conversations", json: #"{"type":"group","title":"T"}"#)
        #expect(anonymous.status == 401)
    }
}
