import PaceApp
import PaceJSON
import PaceStore
import PaceTestSupport
import Testing

@Suite("Refresh tokens and logout")
struct RefreshTokenTests {
    private func refresh(_ app: TestApp, _ token: String) throws -> (status: Int, body: JSONValue) {
        try app.call("POST", "/api/v1/auth/refresh", json: jsonText(["refresh_token": token]))
    }

    @Test func everyRefreshRotatesThePair() throws {
        let app = try TestApp.accounts()
        let first = try app.register("gina")
        let answer = try refresh(app, first.refreshToken)
        #expect(answer.status == 200)
        let second = try TestAccount(answer.body)
        #expect(second.id == first.id)
        #expect(second.refreshToken != first.refreshToken)
        #expect(second.accessToken != first.accessToken)
        #expect(answer.body["expires_in"]?.int64Value == 900)
        #expect(try app.call("GET", "/api/v1/me", token: second.accessToken).status == 200)
        let third = try TestAccount(try refresh(app, second.refreshToken).body)
        #expect(try app.call("GET", "/api/v1/me", token: third.accessToken).status == 200)
    }

    @Test func reusingARotatedTokenRevokesTheWholeFamily() throws {
        let app = try TestApp.accounts()
        let first = try app.register("hank")
        let other = try TestAccount(try app.call("POST", "/api/v1/auth/login",
                                                 json: #"{"username": "hank", "password": "password123"}"#).body)
        let second = try TestAccount(try refresh(app, first.refreshToken).body)
        let reuse = try refresh(app, first.refreshToken)
        #expect(reuse.status == 401)
        #expect(reuse.body["error"]?["code"]?.stringValue == "unauthorized")
        // The successor is dead, and so are the family's access tokens, old and new.
        #expect(try refresh(app, second.refreshToken).status == 401)
        #expect(try app.call("GET", "/api/v1/me", token: second.accessToken).status == 401)
        #expect(try app.call("GET", "/api/v1/me", token: first.accessToken).status == 401)
        // Another login session of the same user is a different family and lives on.
        #expect(try app.call("GET", "/api/v1/me", token: other.accessToken).status == 200)
        #expect(try refresh(app, other.refreshToken).status == 200)
    }

    @Test func logoutRevokesTheFamily() throws {
        let app = try TestApp.accounts()
        let account = try app.register("ivy")
        let logout = try app.call("POST", "/api/v1/auth/logout", json: jsonText(["refresh_token": account.refreshToken]))
        #expect(logout.status == 204)
        #expect(try app.call("GET", "/api/v1/me", token: account.accessToken).status == 401)
        #expect(try refresh(app, account.refreshToken).status == 401)
        // Logging out again, or with a token that never existed, is harmless.
        #expect(try app.call("POST", "/api/v1/auth/logout", json: jsonText(["refresh_token": account.refreshToken])).status == 204)
        #expect(try app.call("POST", "/api/v1/auth/logout", json: jsonText(["refresh_token": "unknown"])).status == 204)
    }

    @Test func unknownAndMalformedRefreshRequests() throws {
        let app = try TestApp.accounts()
        #expect(try refresh(app, "not-a-token").status == 401)
        #expect(try refresh(app, "").status == 401)
        let missing = try app.call("POST", "/api/v1/auth/refresh", json: "{}")
        #expect(missing.status == 422)
        #expect(problems(missing.body) == ["refresh_token: is required"])
        #expect(try app.errorCode("POST", "/api/v1/auth/logout", json: #"{"refresh_token": 7}"#) == (422, "validation_failed"))
    }

    @Test func expiredRefreshTokensAreRefused() throws {
        let app = try TestApp.accounts()
        let account = try app.register("jack")
        try app.server.context.store.writeNow { database throws(StoreError) in
            try database.run("UPDATE refresh_tokens SET expires_at = 1")
        }
        #expect(try refresh(app, account.refreshToken).status == 401)
    }

    @Test func aLogoutSurvivesARestart() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let configuration = try ServerConfiguration.loopback(directory: directory, environment: fastAccounts, loops: 1)
        let first = try ChatServer(configuration: configuration)
        let registered = try httpCall(port: first.http.port, "POST", "/api/v1/auth/register",
                                      json: #"{"username": "kate", "password": "password123"}"#)
        let account = try TestAccount(registered.body)
        let kept = try TestAccount(try httpCall(port: first.http.port, "POST", "/api/v1/auth/login",
                                                json: #"{"username": "kate", "password": "password123"}"#).body)
        #expect(try httpCall(port: first.http.port, "POST", "/api/v1/auth/logout",
                             json: jsonText(["refresh_token": account.refreshToken])).status == 204)
        first.shutdown()
        let second = try ChatServer(configuration: configuration)
        defer { second.shutdown() }
        #expect(try httpCall(port: second.http.port, "GET", "/api/v1/me", token: account.accessToken).status == 401)
        #expect(try httpCall(port: second.http.port, "GET", "/api/v1/me", token: kept.accessToken).status == 200)
    }
}
