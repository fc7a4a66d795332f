import PaceJSON
import Testing

@Suite("Login")
struct LoginTests {
    @Test func loginWithTheRealHasherAnswersTheSameShapeAsRegister() throws {
        // The production Argon2 parameters, once, so the real path is exercised.
        let app = try TestApp(environment: ["PACE_RATE_LIMITS": "off"])
        let registered = try app.register("carol", password: "correct horse")
        let login = try app.call("POST", "/api/v1/auth/login", json: #"{"username": "carol", "password": "correct horse"}"#)
        #expect(login.status == 200)
        #expect(login.body["user"]?["id"]?.stringValue == registered.id)
        #expect(login.body["token_type"]?.stringValue == "Bearer")
        #expect(login.body["expires_in"]?.int64Value == 900)
        let session = try TestAccount(login.body)
        #expect(session.refreshToken != registered.refreshToken)
        #expect(try app.call("GET", "/api/v1/me", token: session.accessToken).status == 200)
        let wrong = try app.call("POST", "/api/v1/auth/login", json: #"{"username": "carol", "password": "wrong horse"}"#)
        #expect(wrong.status == 401)
        #expect(wrong.body["error"]?["code"]?.stringValue == "invalid_credentials")
    }

    @Test func unknownUsersAndWrongPasswordsGetTheSameAnswer() throws {
        let app = try TestApp.accounts()
        _ = try app.register("dave")
        let wrongPassword = try app.request("POST", "/api/v1/auth/login",
                                            body: Array(#"{"username": "dave", "password": "nope-nope"}"#.utf8))
        let unknownUser = try app.request("POST", "/api/v1/auth/login",
                                          body: Array(#"{"username": "nobody", "password": "nope-nope"}"#.utf8))
        let invalidName = try app.request("POST", "/api/v1/auth/login",
                                          body: Array(#"{"username": "no body!", "password": "nope-nope"}"#.utf8))
        #expect(wrongPassword.status == 401)
        #expect(wrongPassword.text.contains("invalid_credentials"))
        for other in [unknownUser, invalidName] {
            #expect(other.status == 401)
            #expect(other.body == wrongPassword.body)
        }
    }

    @Test func usernamesMatchIgnoringCase() throws {
        let app = try TestApp.accounts()
        _ = try app.register("erin")
        let login = try app.call("POST", "/api/v1/auth/login", json: #"{"username": "ERIN", "password": "password123"}"#)
        #expect(login.status == 200)
        #expect(login.body["user"]?["username"]?.stringValue == "erin")
    }

    @Test func missingFieldsAreValidationErrors() throws {
        let app = try TestApp.accounts()
        let answer = try app.call("POST", "/api/v1/auth/login", json: #"{"username": "erin"}"#)
        #expect(answer.status == 422)
        #expect(problems(answer.body) == ["password: is required"])
        #expect(try app.errorCode("POST", "/api/v1/auth/login", json: "nope") == (400, "invalid_json"))
    }
}
