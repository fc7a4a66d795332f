import PaceServer
import Testing
@testable import PaceApp

@Suite struct OIDCConfigurationTests {
    static let base = ["PACE_OIDC_ISSUER": "https://id.example.com", "PACE_OIDC_CLIENT_ID": "pace",
                       "PACE_OIDC_CLIENT_SECRET": "secret", "PACE_PUBLIC_URL": "https://chat.example.com/"]

    @Test func unsetIsOffAndDefaultsComeFromThePublicURL() throws {
        #expect(try OIDCConfiguration.from(environment: [:]) == nil)
        let configuration = try #require(try OIDCConfiguration.from(environment: Self.base))
        #expect(configuration.redirectURI == "https://chat.example.com/api/v1/auth/oidc/callback")
        #expect(configuration.clientURL == "https://chat.example.com/")
        #expect(configuration.authentication == .basic)
        #expect(configuration.discoveryURL?.description == "https://id.example.com/.well-known/openid-configuration")
        let post = try OIDCConfiguration.from(environment: Self.base.merging(["PACE_OIDC_CLIENT_AUTH": "client_secret_post"]) { $1 })
        #expect(post?.authentication == .post)
    }

    @Test func incompleteOrUnsafeSettingsStopTheStart() {
        for change in [["PACE_OIDC_CLIENT_ID": ""], ["PACE_OIDC_ISSUER": "ftp://id.example.com"],
                       ["PACE_OIDC_ISSUER": "http://id.example.com"], ["PACE_OIDC_CLIENT_AUTH": "private_key_jwt"],
                       ["PACE_PUBLIC_URL": "not a url"]] {
            #expect(throws: ConfigurationError.self, "\(change)") {
                try OIDCConfiguration.from(environment: Self.base.merging(change) { $1 })
            }
        }
        var noBase = Self.base
        noBase["PACE_PUBLIC_URL"] = nil
        #expect(throws: ConfigurationError.self) { try OIDCConfiguration.from(environment: noBase) }
    }

    @Test func discoveredEndpointsMustBeHTTPSUnlessTheProviderIsLocal() throws {
        let secure = try #require(try OIDCConfiguration.from(environment: Self.base))
        #expect(secure.permits(try #require(OutboundURL("https://id.example.com/token"))))
        #expect(!secure.permits(try #require(OutboundURL("http://127.0.0.1/token"))))
        let local = try #require(try OIDCConfiguration.from(environment: Self.base.merging(["PACE_OIDC_ISSUER": "http://127.0.0.1:9000"]) { $1 }))
        #expect(local.permits(try #require(OutboundURL("http://127.0.0.1:9000/token"))))
        #expect(!local.permits(try #require(OutboundURL("http://10.0.0.1/token"))))
    }
}
