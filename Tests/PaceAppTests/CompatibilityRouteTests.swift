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
}
