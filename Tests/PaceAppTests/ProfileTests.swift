import PaceJSON
import PaceStore
import Testing

@Suite("GET and PATCH /me")
struct ProfileTests {
    private func patch(_ app: TestApp, _ json: String, _ token: String) throws -> (status: Int, body: JSONValue) {
        try app.call("PATCH", "/api/v1/me", json: json, token: token)
    }

    /// Stores an upload row directly (the uploads routes live elsewhere); returns its id.
    private func upload(_ app: TestApp, owner: String, contentType: String) throws -> Int64 {
        let ownerID = try #require(Int64(owner))
        return try app.server.context.store.writeNow { database throws(StoreError) in
            try database.queryFirst("""
                INSERT INTO uploads (owner_id, sha256, size, content_type, filename, created_at)
                VALUES (?, ?, 1, ?, 'f', 0) RETURNING id
                """, [.integer(ownerID), .text(String(repeating: "0", count: 64)), .text(contentType)]) { $0.int64(0) } ?? 0
        }
    }

    @Test func meShowsTheCaller() throws {
        let app = try TestApp.accounts()
        let account = try app.register("lena", displayName: "Lena L")
        let me = try app.call("GET", "/api/v1/me", token: account.accessToken)
        #expect(me.status == 200)
        #expect(me.body["id"]?.stringValue == account.id)
        #expect(me.body["display_name"]?.stringValue == "Lena L")
        #expect(me.body["status_text"]?.stringValue == "")
    }

    @Test func displayNameAndStatusTextChangeAndPersist() throws {
        let app = try TestApp.accounts()
        let account = try app.register("mona")
        let changed = try patch(app, #"{"display_name": "  Mona M  ", "status_text": " at lunch "}"#, account.accessToken)
        #expect(changed.status == 200)
        #expect(changed.body["display_name"]?.stringValue == "Mona M")
        #expect(changed.body["status_text"]?.stringValue == "at lunch")
        let untouched = try patch(app, "{}", account.accessToken)
        #expect(untouched.body["display_name"]?.stringValue == "Mona M")
        #expect(untouched.body["status_text"]?.stringValue == "at lunch")
        let cleared = try patch(app, #"{"status_text": ""}"#, account.accessToken)
        #expect(cleared.body["status_text"]?.stringValue == "")
        #expect(cleared.body["display_name"]?.stringValue == "Mona M")
        let viewer = try app.register("viewer")
        #expect(try app.call("GET", "/api/v1/users/\(account.id)", token: viewer.accessToken).body["display_name"]?.stringValue == "Mona M")
    }

    @Test func profileFieldRules() throws {
        let app = try TestApp.accounts()
        let account = try app.register("nina")
        let boundaries = jsonText(["display_name": String(repeating: "d", count: 64), "status_text": String(repeating: "s", count: 140)])
        #expect(try patch(app, boundaries, account.accessToken).status == 200)
        let cases: [(String, Set<String>)] = [
            (jsonText(["display_name": "   "]), ["display_name"]),
            (jsonText(["display_name": String(repeating: "d", count: 65)]), ["display_name"]),
            (jsonText(["display_name": "a\u{1B}[31m"]), ["display_name"]),
            (jsonText(["status_text": String(repeating: "s", count: 141)]), ["status_text"]),
            (jsonText(["status_text": "two\nlines"]), ["status_text"]),
            (#"{"display_name": 3, "status_text": true, "avatar_upload_id": [1]}"#, ["display_name", "status_text", "avatar_upload_id"]),
        ]
        for (json, expected) in cases {
            let answer = try patch(app, json, account.accessToken)
            #expect(answer.status == 422, "\(json)")
            #expect(fields(answer.body) == expected, "\(json)")
        }
        #expect(try app.call("GET", "/api/v1/me", token: account.accessToken).body["status_text"]?.stringValue
            == String(repeating: "s", count: 140), "refused changes change nothing")
    }

    @Test func avatarMustBeTheCallersImageAndNullClearsIt() throws {
        let app = try TestApp.accounts()
        let account = try app.register("olga")
        let stranger = try app.register("pete")
        let image = try upload(app, owner: account.id, contentType: "image/png")
        let text = try upload(app, owner: account.id, contentType: "text/plain")
        let theirs = try upload(app, owner: stranger.id, contentType: "image/jpeg")
        let set = try patch(app, #"{"avatar_upload_id": "\#(image)"}"#, account.accessToken)
        #expect(set.status == 200)
        #expect(set.body["avatar_url"]?.stringValue == "/api/v1/uploads/\(image)")
        for refused in ["\"\(text)\"", "\"\(theirs)\"", "\"99999\"", "\"abc\"", "\"0\"", "1.5", "true"] {
            let answer = try patch(app, #"{"avatar_upload_id": \#(refused)}"#, account.accessToken)
            #expect(answer.status == 422, "avatar \(refused)")
            #expect(fields(answer.body) == ["avatar_upload_id"])
        }
        #expect(try app.call("GET", "/api/v1/me", token: account.accessToken).body["avatar_url"]?.stringValue
            == "/api/v1/uploads/\(image)")
        let cleared = try patch(app, #"{"avatar_upload_id": null}"#, account.accessToken)
        #expect(cleared.status == 200)
        #expect(cleared.body["avatar_url"] == .null)
    }

    @Test func malformedPatchBodies() throws {
        let app = try TestApp.accounts()
        let account = try app.register("quinn")
        #expect(try app.errorCode("PATCH", "/api/v1/me", json: "{", token: account.accessToken) == (400, "invalid_json"))
        #expect(try app.errorCode("PATCH", "/api/v1/me", json: "[]", token: account.accessToken) == (422, "validation_failed"))
        let plain = try app.request("PATCH", "/api/v1/me", body: Array("{}".utf8), contentType: "text/plain",
                                    token: account.accessToken)
        #expect(plain.status == 415)
    }

    @Test func presenceComesFromTheInstalledLookup() throws {
        let app = try TestApp.accounts()
        let account = try app.register("rita")
        let id = try #require(Int64(account.id))
        app.server.context.presence.install { $0 == id ? "busy" : "offline" }
        #expect(try app.call("GET", "/api/v1/me", token: account.accessToken).body["presence"]?.stringValue == "busy")
    }
}
