import PaceJSON
import Testing

@Suite("Registration and its validation rules")
struct RegistrationTests {
    @Test func registrationAnswersAnAuthResultWithoutSecrets() throws {
        let app = try TestApp.accounts()
        let answer = try app.call("POST", "/api/v1/auth/register", json: #"{"username": "alice", "password": "password123"}"#)
        #expect(answer.status == 201)
        #expect(answer.body["token_type"]?.stringValue == "Bearer")
        #expect(answer.body["expires_in"]?.int64Value == 900)
        #expect(answer.body["refresh_token"]?.stringValue?.utf8.count == 43)
        let user = try #require(answer.body["user"]?.objectValue)
        #expect(Set(user.map(\.key)) == ["id", "username", "display_name", "avatar_url", "status_text", "presence",
                                         "last_seen_at", "role", "created_at"])
        #expect(answer.body["user"]?["display_name"]?.stringValue == "alice")
        #expect(answer.body["user"]?["presence"]?.stringValue == "offline")
        #expect(answer.body["user"]?["role"]?.stringValue == "user")
        #expect(answer.body["user"]?["avatar_url"] == .null)
        #expect(answer.body["user"]?["last_seen_at"] == .null)
        let me = try app.call("GET", "/api/v1/me", token: answer.body["access_token"]?.stringValue)
        #expect(me.status == 200)
        #expect(me.body["username"]?.stringValue == "alice")
    }

    @Test(arguments: [
        ("ab", "username"), (String(repeating: "a", count: 33), "username"), ("bad name", "username"),
        ("ünï", "username"), ("a/b", "username"), ("tab\tx", "username"), ("", "username"),
    ])
    func invalidUsernamesAreRefused(username: String, field: String) throws {
        let app = try TestApp.accounts()
        let answer = try app.call("POST", "/api/v1/auth/register",
                                  json: jsonText(["username": username, "password": "password123"]))
        #expect(answer.status == 422)
        #expect(answer.body["error"]?["code"]?.stringValue == "validation_failed")
        #expect(fields(answer.body) == [field])
    }

    @Test func usernameBoundariesAndCharactersAreAccepted() throws {
        let app = try TestApp.accounts()
        #expect(try app.register("abc").username == "abc")
        #expect(try app.register(String(repeating: "z", count: 32)).username.count == 32)
        #expect(try app.register("a.b-c_9").username == "a.b-c_9")
    }

    @Test func usernamesAreFoldedToLowerCaseAndUniqueIgnoringCase() throws {
        let app = try TestApp.accounts()
        #expect(try app.register("Alice").username == "alice")
        for name in ["alice", "ALICE", "aLiCe"] {
            let (status, code) = try app.errorCode("POST", "/api/v1/auth/register",
                                                   json: #"{"username": "\#(name)", "password": "password123"}"#)
            #expect(status == 409)
            #expect(code == "username_taken")
        }
    }

    @Test func passwordLengthIsEightToOneHundredTwentyEightCharacters() throws {
        let app = try TestApp.accounts()
        for (index, length) in [7, 129, 0].enumerated() {
            let password = String(repeating: "p", count: length)
            let answer = try app.call("POST", "/api/v1/auth/register",
                                      json: #"{"username": "user\#(index)", "password": "\#(password)"}"#)
            #expect(answer.status == 422, "length \(length)")
            #expect(fields(answer.body) == ["password"])
        }
        _ = try app.register("eight", password: "12345678")
        _ = try app.register("long", password: String(repeating: "é", count: 128))
    }

    /// NIST SP 800-63B counts code points, as JSON Schema's `minLength` does: four letters with
    /// combining accents are eight characters, though a reader sees four.
    @Test func passwordLengthCountsCodePoints() throws {
        let app = try TestApp.accounts()
        _ = try app.register("combining", password: String(repeating: "e\u{301}", count: 4))
        let tooLong = String(repeating: "e\u{301}", count: 65)
        let answer = try app.call("POST", "/api/v1/auth/register",
                                  json: #"{"username": "toolong", "password": "\#(tooLong)"}"#)
        #expect(answer.status == 422)
        #expect(fields(answer.body) == ["password"])
    }

    @Test func displayNameIsTrimmedBoundedAndFreeOfControlCharacters() throws {
        let app = try TestApp.accounts()
        let answer = try app.call("POST", "/api/v1/auth/register",
                                  json: #"{"username": "bob", "password": "password123", "display_name": "  Bob B.  "}"#)
        #expect(answer.body["user"]?["display_name"]?.stringValue == "Bob B.")
        let full = String(repeating: "ß", count: 64)
        #expect(try app.call("POST", "/api/v1/auth/register",
                             json: #"{"username": "full", "password": "password123", "display_name": "\#(full)"}"#).status == 201)
        for (index, name) in ["   ", "", String(repeating: "x", count: 65), #"new\nline"#, #"bell\u0007"#, #"c1\u0085x"#].enumerated() {
            let answer = try app.call("POST", "/api/v1/auth/register",
                                      json: #"{"username": "dn\#(index)", "password": "password123", "display_name": "\#(name)"}"#)
            #expect(answer.status == 422, "display name \(name)")
            #expect(fields(answer.body) == ["display_name"])
        }
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let app = try TestApp.accounts()
        let missing = try app.call("POST", "/api/v1/auth/register", json: "{}")
        #expect(missing.status == 422)
        #expect(problems(missing.body) == ["username: is required", "password: is required"])
        let wrongTypes = try app.call("POST", "/api/v1/auth/register",
                                      json: #"{"username": 5, "password": "short", "display_name": []}"#)
        #expect(fields(wrongTypes.body) == ["username", "password", "display_name"])
    }

    @Test func malformedBodiesAnswerInTheErrorShape() throws {
        let app = try TestApp.accounts()
        #expect(try app.errorCode("POST", "/api/v1/auth/register", json: "{\"username\":") == (400, "invalid_json"))
        #expect(try app.errorCode("POST", "/api/v1/auth/register", json: "[]") == (422, "validation_failed"))
        let plain = try app.request("POST", "/api/v1/auth/register", body: Array("x".utf8), contentType: "text/plain")
        #expect(plain.status == 415)
        let huge = try app.request("POST", "/api/v1/auth/register", body: Array(repeating: 0x20, count: 17 * 1024))
        #expect(huge.status == 413)
    }
}
