import PaceJSON
import Testing

@Suite("Compatibility routes")
struct CompatibilityRouteTests {
    @Test func classicRoutesAnswerLikeTheirAPIv1Twins() throws {
        let app = try TestApp.accounts()
        let registered = try app.call("POST", "/register", json: #"{"username": "sam", "password": "password123"}"#)
        #expect(registered.status == 201)
        let account = try TestAccount(registered.body)
        #expect(try app.errorCode("POST", "/register", json: #"{"username": "SAM", "password": "password123"}"#)
            == (409, "username_taken"))
        #expect(try app.errorCode("POST", "/register", json: #"{"username": "x"}"#) == (422, "validation_failed"))
        let login = try app.call("POST", "/login", json: #"{"username": "sam", "password": "password123"}"#)
        #expect(login.status == 200)
        #expect(login.body["user"]?["id"]?.stringValue == account.id)
        #expect(try app.errorCode("POST", "/login", json: #"{"username": "sam", "password": "wrongwrong"}"#)
            == (401, "invalid_credentials"))
        let list = try app.call("GET", "/users?query=s&limit=1", token: account.accessToken)
        #expect(list.status == 200)
        #expect(list.body["users"]?.arrayValue?.first?["username"]?.stringValue == "sam")
        #expect(list.body["next_cursor"] == .null)
        let one = try app.call("GET", "/users/\(account.id)", token: account.accessToken)
        #expect(one.body == (try app.call("GET", "/api/v1/users/\(account.id)", token: account.accessToken)).body)
        #expect(try app.errorCode("GET", "/users/12345", token: account.accessToken) == (404, "not_found"))
    }

    @Test func classicRoutesShareTheHandlers() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let created = try app.call("POST", "/conversations", json: #"{"type":"direct","member_ids":["\#(bob.id)"]}"#,
                                   token: ann.token)
        #expect(created.status == 201)
        let id = try #require(created.body["id"]?.stringValue)
        #expect(try app.call("POST", "/api/v1/conversations", json: #"{"type":"direct","member_ids":["\#(ann.id)"]}"#,
                             token: bob.token).body["id"]?.stringValue == id)
        let sent = try app.call("POST", "/conversations/\(id)/message", json: #"{"body":"classic","client_id":"c"}"#,
                                token: ann.token)
        #expect(sent.status == 201)
        #expect(sent.body["body"]?.stringValue == "classic")
        let retry = try app.call("POST", "/api/v1/conversations/\(id)/messages", json: #"{"body":"classic","client_id":"c"}"#,
                                 token: ann.token)
        #expect(retry.status == 200)
        #expect(retry.body["id"] == sent.body["id"])
        let shown = try app.call("GET", "/conversations/\(id)", token: bob.token)
        #expect(shown.status == 200)
        #expect(shown.body["messages"]?.ids == [sent.body["id"]?.stringValue ?? ""])
        #expect(shown.body["unread_count"]?.int64Value == 1)
        #expect(try app.call("GET", "/conversations/\(id)", token: eve.token).status == 404)
        #expect(try app.call("GET", "/conversations/\(id)").status == 401)
        #expect(try app.call("POST", "/conversations/\(id)/message", json: #"{"body":"x"}"#, token: eve.token).status == 404)
    }
}
