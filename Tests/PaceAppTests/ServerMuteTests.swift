import PaceApp
import PaceJSON
import PaceStore
import PaceTestSupport
import Testing

/// Server-wide mutes by moderators, end to end over REST and WebSocket.
@Suite("Server-wide mutes")
struct ServerMuteTests {
    private func promote(_ app: TestApp, _ user: TestUser, _ role: String) throws {
        try app.server.context.store.writeNow { db throws(StoreError) in
            try db.run("UPDATE users SET server_role = ?1 WHERE id = ?2", [.text(role), .integer(user.id)])
        }
    }

    @Test func aMutedUserCannotPostAnywhereUntilTheMuteEnds() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann", admin: true), mod = try app.makeUser("mod"), bob = try app.makeUser("bob")
        try promote(app, mod, "moderator")
        let chat = try app.direct(bob, ann)
        let mute = try app.call("PUT", "/api/v1/admin/users/\(bob.id)/mute", json: #"{"duration_seconds":600}"#, token: mod.token)
        #expect(mute.status == 200)
        #expect(mute.body["user_id"]?.stringValue == bob.idString && mute.body["username"]?.stringValue == "bob")

        let refused = try app.request("POST", "/api/v1/conversations/\(chat)/messages", body: Array(#"{"body":"hi"}"#.utf8),
                                      token: bob.token)
        #expect(refused.status == 403)
        #expect((try JSONParser.parse(refused.body))["error"]?["code"]?.stringValue == "server_muted")
        #expect((591...600).contains(Int(refused.header("retry-after") ?? "") ?? 0))
        let socket = try ChatClient(app, token: bob.token)
        _ = socket.next("hello")
        socket.send(#"{"type":"message.send","ref":"w1","conversation_id":"\#(chat)","body":"hi"}"#)
        let error = socket.next("error")
        #expect(error?["error"]?["code"]?.stringValue == "server_muted" && error?["ref"]?.stringValue == "w1")
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/messages", json: #"{"body":"hello"}"#,
                             token: ann.token).status == 201, "others still post")

        let listed = try app.call("GET", "/api/v1/admin/mutes", token: mod.token).body["mutes"]?.arrayValue ?? []
        #expect(listed.map { $0["user_id"]?.stringValue } == [bob.idString])

        // Time passes: a mute in the past no longer counts, and the list forgets it.
        try app.server.context.store.writeNow { db throws(StoreError) in
            try db.run("UPDATE users SET muted_until = 1 WHERE id = ?1", [.integer(bob.id)])
        }
        try app.send(bob, chat, "back")
        #expect(try app.call("GET", "/api/v1/admin/mutes", token: mod.token).body["mutes"]?.arrayValue?.isEmpty == true)

        #expect(try app.call("PUT", "/api/v1/admin/users/\(bob.id)/mute", json: #"{"duration_seconds":60}"#, token: mod.token).status == 200)
        #expect(try app.call("DELETE", "/api/v1/admin/users/\(bob.id)/mute", token: mod.token).status == 204)
        try app.send(bob, chat, "unmuted")
    }

    @Test func onlyStaffMuteAndNobodyMutesAnAdmin() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann", admin: true), mod = try app.makeUser("mod"), mod2 = try app.makeUser("mod2")
        let bob = try app.makeUser("bob")
        try promote(app, mod, "moderator")
        try promote(app, mod2, "moderator")
        func code(_ method: String, _ path: String, _ json: String? = nil, _ caller: TestUser) throws -> (Int, String?) {
            let answer = try app.call(method, path, json: json, token: caller.token)
            return (answer.status, answer.body["error"]?["code"]?.stringValue)
        }
        let body = #"{"duration_seconds":600}"#
        #expect(try code("PUT", "/api/v1/admin/users/\(mod.id)/mute", body, bob) == (403, "moderator_required"))
        #expect(try code("GET", "/api/v1/admin/mutes", nil, bob) == (403, "moderator_required"))
        #expect(try code("PUT", "/api/v1/admin/users/\(ann.id)/mute", body, mod) == (409, "target_is_admin"))
        #expect(try code("PUT", "/api/v1/admin/users/\(mod2.id)/mute", body, mod) == (403, "admin_required"))
        #expect(try code("PUT", "/api/v1/admin/users/\(mod2.id)/mute", body, ann).0 == 200, "an admin mutes a moderator")
        #expect(try code("PUT", "/api/v1/admin/users/\(bob.id)/mute", #"{"duration_seconds":5}"#, mod) == (422, "validation_failed"))
        #expect(try code("PUT", "/api/v1/admin/users/999/mute", body, mod).0 == 404)
        let entries = try app.call("GET", "/api/v1/admin/audit", token: ann.token).body["entries"]?.arrayValue ?? []
        let mutes = entries.filter { $0["action"]?.stringValue == "user.mute" }.map { $0["outcome"]?.stringValue ?? "" }
        #expect(mutes == ["allowed", "denied", "denied", "denied"])
        #expect(entries.contains { $0["action"]?.stringValue == "mutes.read" && $0["outcome"]?.stringValue == "denied" })
    }
}
