#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import PaceTestSupport
import Testing

/// Deleting an account, by its owner with the password and by an admin, end to end.
@Suite("Account deletion")
struct AccountDeletionTests {
    private static func user(_ account: TestAccount) -> TestUser {
        TestUser(id: Int64(account.id) ?? 0, token: account.accessToken)
    }

    /// Polls until the background erasure has emptied every message of the conversation.
    private func erased(_ app: TestApp, _ reader: TestUser, _ chat: String) throws -> [JSONValue] {
        var messages: [JSONValue] = []
        for _ in 0..<100 {
            let page = try app.call("GET", "/api/v1/conversations/\(chat)/messages?after=0&limit=100", token: reader.token)
            messages = page.body["messages"]?.arrayValue ?? []
            if messages.allSatisfy({ $0["deleted"]?.boolValue == true || $0["sender_id"]?.stringValue == reader.idString }) {
                return messages
            }
            usleep(20_000)
        }
        return messages
    }

    @Test func theOwnerDeletesTheirAccountWithTheirPassword() throws {
        let app = try TestApp.accounts()
        _ = try app.register("root")
        let bob = try app.register("bob"), cat = try app.register("cat")
        let bobUser = Self.user(bob), catUser = Self.user(cat)
        let chat = try app.direct(bobUser, catUser)
        let upload = try app.uploadID(Array("bob's file".utf8), token: bob.accessToken)
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                             json: #"{"body":"with file","attachment_ids":["\#(upload)"]}"#, token: bob.accessToken).status == 201)
        try app.send(bobUser, chat, "bob's words")
        try app.send(catUser, chat, "cat's words")
        let socket = try ChatClient(app, token: bob.accessToken)
        _ = socket.next("hello")

        #expect(try app.errorCode("DELETE", "/api/v1/me", json: #"{"password":"wrong-password"}"#, token: bob.accessToken)
                == (403, "password_incorrect"))
        #expect(try app.errorCode("DELETE", "/api/v1/me", json: "{}", token: bob.accessToken).0 == 422)
        #expect(try app.call("DELETE", "/api/v1/me", json: #"{"password":"password123"}"#, token: bob.accessToken).status == 204)
        #expect(socket.waitForClose() == 4003)
        #expect(try app.errorCode("GET", "/api/v1/me", token: bob.accessToken).0 == 401)
        #expect(try app.errorCode("POST", "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(bob.refreshToken)"}"#).0 == 401)
        #expect(try app.errorCode("POST", "/api/v1/auth/login", json: #"{"username":"bob","password":"password123"}"#).0 == 401)

        let profile = try app.call("GET", "/api/v1/users/\(bob.id)", token: cat.accessToken).body
        #expect(profile["username"]?.stringValue == "deleted-\(bob.id)")
        #expect(profile["display_name"]?.stringValue == "Deleted user")
        let messages = try erased(app, catUser, chat)
        #expect(messages.map { $0["body"]?.stringValue ?? "?" } == ["", "", "cat's words"])
        #expect(try app.uploadRows() == 0, "bob's file went with his message")
        #expect(try app.errorCode("DELETE", "/api/v1/admin/users/\(bob.id)", token: cat.accessToken) == (403, "admin_required"))
    }

    @Test func anAdminDeletesAUserButNotAnotherAdminNorTheLastAdminThemself() throws {
        let app = try TestApp.accounts(["PACE_FIRST_USER_ADMIN": "on"])
        let ann = try app.register("ann"), bob = try app.register("bob")
        #expect(try app.errorCode("DELETE", "/api/v1/me", json: #"{"password":"password123"}"#, token: ann.accessToken)
                == (409, "last_admin"))
        #expect(try app.call("PUT", "/api/v1/admin/users/\(bob.id)/role", json: #"{"role":"admin"}"#,
                             token: ann.accessToken).status == 200)
        #expect(try app.errorCode("DELETE", "/api/v1/admin/users/\(bob.id)", token: ann.accessToken) == (409, "target_is_admin"))
        #expect(try app.call("PUT", "/api/v1/admin/users/\(bob.id)/role", json: #"{"role":"user"}"#,
                             token: ann.accessToken).status == 200)
        let squatter = try app.register("deleted-\(bob.id)")
        #expect(try app.call("DELETE", "/api/v1/admin/users/\(bob.id)", token: ann.accessToken).status == 204)
        let renamed = try app.call("GET", "/api/v1/users/\(bob.id)", token: ann.accessToken).body["username"]?.stringValue ?? ""
        #expect(renamed.hasPrefix("deleted-") && renamed != squatter.username, "a taken name is not reused")
        #expect(try app.errorCode("DELETE", "/api/v1/admin/users/\(bob.id)", token: ann.accessToken).0 == 404, "once")
        #expect(try app.errorCode("POST", "/api/v1/auth/login", json: #"{"username":"bob","password":"password123"}"#).0 == 401)
        let actions = try app.call("GET", "/api/v1/admin/audit", token: ann.accessToken).body["entries"]?.arrayValue ?? []
        let deletions = actions.filter { $0["action"]?.stringValue == "user.delete" }
        #expect(deletions.map { $0["outcome"]?.stringValue ?? "" } == ["allowed", "denied"])
        #expect(actions.contains { $0["action"]?.stringValue == "account.delete" && $0["outcome"]?.stringValue == "denied" })
    }
}
