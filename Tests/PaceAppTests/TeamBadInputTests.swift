import PaceJSON
import PaceStore
import Testing

/// The "Bad input" list of issue 17: each refusal is a 4xx with a stable code, and nothing of
/// the refused request is written.
@Suite("Team chat: bad input gets a stable 4xx and writes nothing")
struct TeamBadInputTests {
    private func count(_ app: TestApp, _ sql: String) throws -> Int {
        try app.server.context.store.readNow { db throws(StoreError) in try db.queryFirst(sql, []) { $0.int(0) } ?? -1 }
    }

    private func code(_ answer: (status: Int, body: JSONValue)) -> String? { answer.body["error"]?["code"]?.stringValue }

    @Test func channelNamesAndTopicsAreCheckedOnEveryChange() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let general = try app.call("POST", "/api/v1/conversations", json: #"{"type":"channel","name":"General","topic":"t"}"#,
                                   token: ann.token)
        let other = try app.call("POST", "/api/v1/conversations", json: #"{"type":"channel","name":"other"}"#, token: ann.token)
        let otherID = try #require(other.body["id"]?.stringValue)
        let versions = try count(app, "SELECT CAST(SUM(version) AS INTEGER) FROM channels")
        let path = "/api/v1/conversations/\(otherID)/channel"
        let refusals: [(String, Int, String, String?)] = [
            (#"{"name":"bell\u0007name"}"#, 422, "validation_failed", "name"),
            (#"{"name":"zero\u200Bwidth"}"#, 422, "validation_failed", "name"),
            (#"{"name":"\uFF27\uFF45\uFF4E\uFF45\uFF52\uFF41\uFF4C"}"#, 422, "validation_failed", "name"),
            (#"{"name":"Gener\u0430l"}"#, 422, "validation_failed", "name"),
            (#"{"name":"GENERAL"}"#, 409, "channel_name_taken", nil),
            (#"{"topic":"\#(String(repeating: "t", count: 10_000))"}"#, 422, "validation_failed", "topic"),
            (#"{"purpose":"\#(String(repeating: "p", count: 10_000))"}"#, 422, "validation_failed", "purpose"),
            (#"{"name":"fine","topic":"\#(String(repeating: "t", count: 10_000))"}"#, 422, "validation_failed", "topic"),
        ]
        for (json, status, expected, field) in refusals {
            let refused = try app.call("PATCH", path, json: json, token: ann.token)
            #expect(refused.status == status, "\(json.prefix(40))")
            #expect(code(refused) == expected, "\(json.prefix(40))")
            if let field { #expect(refused.body["error"]?["details"]?[0]?["field"]?.stringValue == field) }
        }
        let shown = try app.call("GET", "/api/v1/conversations/\(otherID)", token: ann.token)
        #expect(shown.body["name"]?.stringValue == "other", "no refused change half-applied")
        #expect(try count(app, "SELECT CAST(SUM(version) AS INTEGER) FROM channels") == versions, "no change recorded")
        #expect(general.status == 201)
    }

    @Test func explicitMentionsMustBeMembersWhileUnknownAtWordsAreText() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let path = "/api/v1/conversations/\(room)/messages"
        for (list, expected) in [("[\"\(eve.id)\"]", "unknown_mention"), ("[\"\(bob.id)\",\"999999\"]", "unknown_mention"),
                                 ("[\"x\"]", "validation_failed"), ("\"\(bob.id)\"", "validation_failed")] {
            let refused = try app.call("POST", path, json: #"{"body":"hi","mentions":\#(list)}"#, token: ann.token)
            #expect(refused.status == 422, "\(list)")
            #expect(code(refused) == expected, "\(list)")
        }
        let unknown = try app.call("POST", path, json: #"{"body":"hi","mentions":["\#(eve.id)"]}"#, token: ann.token)
        #expect(unknown.body["error"]?["details"]?[0]?["field"]?.stringValue == "mentions[0]")
        #expect(try count(app, "SELECT count(*) FROM messages") == 0, "refused sends store nothing")
        #expect(try count(app, "SELECT count(*) FROM mentions") == 0)

        let text = try app.send(ann, room, "ask @nobody or @eve")
        #expect(text["mentions"]?.arrayValue?.isEmpty == true, "@words that name no member are text")
        let explicit = try app.call("POST", path, json: #"{"body":"see this","mentions":["\#(bob.id)","\#(bob.id)","\#(ann.id)"]}"#,
                                    token: ann.token)
        #expect(explicit.status == 201)
        #expect(explicit.body["mentions"]?.arrayValue?.compactMap(\.stringValue) == [bob.idString], "repeats and oneself drop")
        let list = try app.call("GET", "/api/v1/conversations", token: bob.token)
        #expect(list.body["conversations"]?[0]?["mentions"]?.int64Value == 1)

        let live = try ChatClient(app, token: ann.token)
        _ = live.next("hello")
        live.send(#"{"type":"message.send","ref":"m","conversation_id":"\#(room)","body":"x","mentions":["\#(eve.id)"]}"#)
        let error = try #require(live.next("error"))
        #expect(error["ref"]?.stringValue == "m")
        #expect(error["error"]?["code"]?.stringValue == "unknown_mention")
        #expect(try count(app, "SELECT count(*) FROM messages") == 2)
    }

    @Test func threadsReadPositionsPinsAndAnnouncementsRefuseWithStableCodes() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob]), other = try app.group(ann, [eve], title: "Other")
        let root = try #require(try app.send(ann, room, "root")["id"]?.stringValue)
        let elsewhere = try #require(try app.send(ann, other, "elsewhere")["id"]?.stringValue)
        let reply = try app.call("POST", "/api/v1/conversations/\(room)/messages",
                                 json: #"{"body":"child","thread_root":"\#(root)"}"#, token: bob.token)
        let child = try #require(reply.body["id"]?.stringValue)
        let live = try ChatClient(app, token: bob.token)
        _ = live.next("hello")
        for target in [child, elsewhere] {
            let refused = try app.call("POST", "/api/v1/conversations/\(room)/messages",
                                       json: #"{"body":"nope","thread_root":"\#(target)"}"#, token: bob.token)
            #expect(refused.status == 422)
            #expect(code(refused) == "validation_failed")
            #expect(refused.body["error"]?["details"]?[0]?["field"]?.stringValue == "thread_root")
            live.send(#"{"type":"message.send","conversation_id":"\#(room)","body":"nope","thread_root":"\#(target)"}"#)
            #expect(live.next("error")?["error"]?["code"]?.stringValue == "validation_failed")
        }
        #expect(try count(app, "SELECT count(*) FROM messages") == 3, "refused replies store nothing")

        let foreign = try app.call("GET", "/api/v1/conversations/\(other)/read-positions", token: bob.token)
        #expect(foreign.status == 404)
        #expect(code(foreign) == "not_found")

        let channel = try #require(try app.call("POST", "/api/v1/conversations",
                                                json: #"{"type":"channel","name":"news","posting":"admins"}"#,
                                                token: ann.token).body["id"]?.stringValue)
        #expect(try app.call("POST", "/api/v1/conversations/\(channel)/join", token: bob.token).status == 200)
        let posted = try app.call("POST", "/api/v1/conversations/\(channel)/messages", json: #"{"body":"me"}"#, token: bob.token)
        #expect(posted.status == 403)
        #expect(code(posted) == "posting_restricted")
        live.send(#"{"type":"message.send","conversation_id":"\#(channel)","body":"me"}"#)
        #expect(live.next("error")?["error"]?["code"]?.stringValue == "posting_restricted")
        let kept = try #require(try app.send(ann, channel, "announcement")["id"]?.stringValue)
        #expect(try app.call("POST", "/api/v1/conversations/\(channel)/archive", token: ann.token).status == 200)
        let pinned = try app.call("PUT", "/api/v1/conversations/\(channel)/messages/\(kept)/pin", token: ann.token)
        #expect(pinned.status == 409)
        #expect(code(pinned) == "channel_archived")
        #expect(try app.call("GET", "/api/v1/conversations/\(channel)/pins", token: ann.token).body["pins"]?.arrayValue?.isEmpty
            != false)
        #expect(try count(app, "SELECT count(*) FROM messages") == 4, "only the admin's announcement was stored")
    }
}
