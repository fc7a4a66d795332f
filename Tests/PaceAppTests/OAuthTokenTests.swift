import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

/// The OAuth 2.0 token endpoint, revocation and metadata, end to end.
@Suite("OAuth 2.0: token endpoint, revocation, metadata")
struct OAuthTokenTests {
    private func form(_ app: TestApp, _ path: String, _ body: String,
                      contentType: String = "application/x-www-form-urlencoded") throws -> (status: Int, body: JSONValue, response: TestResponse) {
        let response = try app.request("POST", path, body: Array(body.utf8), contentType: contentType)
        return (response.status, response.body.isEmpty ? .null : try JSONParser.parse(response.body), response)
    }

    @Test func passwordAndRefreshGrantsIssueTheTokensLoginDoes() throws {
        let app = try TestApp.accounts()
        _ = try app.register("ann", password: "pass word+1")
        let granted = try form(app, "/oauth/token", "grant_type=password&username=ann&password=pass%20word%2B1")
        #expect(granted.status == 200)
        #expect(granted.response.header("cache-control") == "no-store")
        #expect(granted.body["token_type"]?.stringValue == "Bearer")
        #expect(granted.body["expires_in"]?.int64Value == 900)
        let access = try #require(granted.body["access_token"]?.stringValue)
        let refresh = try #require(granted.body["refresh_token"]?.stringValue)
        #expect(try app.call("GET", "/api/v1/me", token: access).status == 200)
        let rotated = try form(app, "/oauth/token", "grant_type=refresh_token&refresh_token=\(refresh)")
        #expect(rotated.status == 200)
        let reused = try form(app, "/oauth/token", "grant_type=refresh_token&refresh_token=\(refresh)")
        #expect(reused.status == 400)
        #expect(reused.body["error"]?.stringValue == "invalid_grant")
    }

    @Test(arguments: [
        ("grant_type=password&username=ann&password=wrong-password", 400, "invalid_grant"),
        ("grant_type=password&username=ann", 400, "invalid_request"),
        ("grant_type=client_credentials", 400, "unsupported_grant_type"),
        ("username=ann&password=x", 400, "invalid_request"),
        ("grant_type=password&grant_type=password&username=ann&password=pass%20word%2B1", 400, "invalid_request"),
        ("grant_type=refresh_token&refresh_token=nonsense", 400, "invalid_grant"),
        ("grant_type=password&username=ann&password=%zz", 400, "invalid_request"),
    ])
    func errorsFollowSection5_2(body: String, status: Int, code: String) throws {
        let app = try TestApp.accounts()
        _ = try app.register("ann", password: "pass word+1")
        let answer = try form(app, "/oauth/token", body)
        #expect(answer.status == status)
        #expect(answer.body["error"]?.stringValue == code)
        #expect(answer.body["error_description"]?.stringValue != nil)
    }

    @Test func jsonIsNotAcceptedAtTheTokenEndpoint() throws {
        let app = try TestApp.accounts()
        let answer = try form(app, "/oauth/token", #"{"grant_type":"password"}"#, contentType: "application/json")
        #expect(answer.status == 400)
        #expect(answer.body["error"]?.stringValue == "invalid_request")
    }

    @Test func revocationEndsTheSessionOfARefreshOrAnAccessToken() throws {
        let app = try TestApp.accounts()
        let ann = try app.register("ann")
        #expect(try form(app, "/oauth/revoke", "token=\(ann.refreshToken)").status == 200)
        #expect(try app.call("GET", "/api/v1/me", token: ann.accessToken).status == 401)
        #expect(try form(app, "/oauth/token", "grant_type=refresh_token&refresh_token=\(ann.refreshToken)").status == 400)
        let again = try TestAccount(app.call("POST", "/api/v1/auth/login", json: #"{"username":"ann","password":"password123"}"#).body)
        #expect(try form(app, "/oauth/revoke", "token=\(again.accessToken)&token_type_hint=access_token").status == 200)
        #expect(try app.call("GET", "/api/v1/me", token: again.accessToken).status == 401)
        #expect(try form(app, "/oauth/token", "grant_type=refresh_token&refresh_token=\(again.refreshToken)").status == 400,
                "revoking the access token ends its whole session")
        #expect(try form(app, "/oauth/revoke", "token=unknown").status == 200, "RFC 7009 §2.2")
        #expect(try form(app, "/oauth/revoke", "token_type_hint=access_token").status == 400)
    }

    @Test func metadataNamesTheEndpoints() throws {
        let app = try TestApp.accounts()
        let document = try app.call("GET", "/.well-known/oauth-authorization-server")
        #expect(document.status == 200)
        #expect(document.body["issuer"]?.stringValue == "http://localhost")
        #expect(document.body["token_endpoint"]?.stringValue == "http://localhost/oauth/token")
        #expect(document.body["revocation_endpoint"]?.stringValue == "http://localhost/oauth/revoke")
        #expect(document.body["grant_types_supported"]?.arrayValue?.compactMap(\.stringValue) == ["password", "refresh_token"])
    }
}
