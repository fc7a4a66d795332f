import PaceServer

/// OpenID Connect sign-in settings (`PACE_OIDC_*`); nil from `init(environment:)` when
/// `PACE_OIDC_ISSUER` is unset.
package struct OIDCConfiguration: Sendable {
    /// How Pace authenticates to the token endpoint (OIDC Core §9).
    package enum ClientAuthentication: String, Sendable {
        case basic = "client_secret_basic"
        case post = "client_secret_post"
    }

    /// Exactly as the provider writes `iss`; discovery is `<issuer>/.well-known/openid-configuration`.
    package var issuer: String
    package var clientID: String
    package var clientSecret: String
    /// Where the provider sends the browser back: Pace's callback route.
    package var redirectURI: String
    /// Where Pace sends the browser at the end, with `?code=` (or `?error=`) appended.
    package var clientURL: String
    package var authentication = ClientAuthentication.basic
    /// `PACE_OIDC_ALLOW_PRIVATE=1`: the provider may live on loopback or a private network.
    package var allowPrivate = false
    /// `PACE_OUTBOUND_CA_FILE`: the provider's certificate is checked against this bundle
    /// instead of the system's CA store (a provider behind a private CA).
    package var caFile: String?
    package var scope = "openid profile"

    package static let callbackPath = "/api/v1/auth/oidc/callback"

    package init(issuer: String, clientID: String, clientSecret: String, redirectURI: String, clientURL: String) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.clientURL = clientURL
    }

    package static func from(environment: [String: String]) throws(ConfigurationError) -> OIDCConfiguration? {
        guard let issuer = environment["PACE_OIDC_ISSUER"] else { return nil }
        guard OutboundURL(issuer) != nil, !issuer.contains("?") else {
            throw ConfigurationError("PACE_OIDC_ISSUER must be an http(s) URL without a query, got '\(issuer)'")
        }
        guard let clientID = environment["PACE_OIDC_CLIENT_ID"], !clientID.isEmpty,
              let clientSecret = environment["PACE_OIDC_CLIENT_SECRET"], !clientSecret.isEmpty else {
            throw ConfigurationError("PACE_OIDC_ISSUER needs PACE_OIDC_CLIENT_ID and PACE_OIDC_CLIENT_SECRET")
        }
        let base = environment["PACE_PUBLIC_URL"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        guard let redirectURI = environment["PACE_OIDC_REDIRECT_URI"] ?? base.map({ $0 + callbackPath }),
              let clientURL = environment["PACE_OIDC_CLIENT_URL"] ?? base.map({ $0 + "/" }) else {
            throw ConfigurationError("PACE_OIDC_ISSUER needs PACE_PUBLIC_URL (or PACE_OIDC_REDIRECT_URI and PACE_OIDC_CLIENT_URL)")
        }
        guard OutboundURL(redirectURI) != nil, OutboundURL(clientURL) != nil, !clientURL.contains("#") else {
            throw ConfigurationError("PACE_OIDC_REDIRECT_URI and PACE_OIDC_CLIENT_URL must be absolute http(s) URLs")
        }
        var configuration = OIDCConfiguration(issuer: issuer, clientID: clientID, clientSecret: clientSecret,
                                              redirectURI: redirectURI, clientURL: clientURL)
        if let text = environment["PACE_OIDC_CLIENT_AUTH"] {
            guard let method = ClientAuthentication(rawValue: text) else {
                throw ConfigurationError("PACE_OIDC_CLIENT_AUTH must be client_secret_basic or client_secret_post, got '\(text)'")
            }
            configuration.authentication = method
        }
        configuration.allowPrivate = environment["PACE_OIDC_ALLOW_PRIVATE"] == "1"
        configuration.caFile = environment["PACE_OUTBOUND_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        // The token request carries the client secret: plain http only to this machine.
        if let url = OutboundURL(issuer), !url.isTLS, !url.isLoopbackHost {
            throw ConfigurationError("PACE_OIDC_ISSUER must be https unless the provider runs on loopback, got '\(issuer)'")
        }
        return configuration
    }

    /// Whether an endpoint from the discovery document may be used: https, or plain http
    /// only when the issuer itself is a plain-http loopback provider (tests, development).
    func permits(_ endpoint: OutboundURL) -> Bool {
        endpoint.isTLS || (OutboundURL(issuer)?.isTLS == false && endpoint.isLoopbackHost)
    }

    /// The discovery document's URL (OpenID Connect Discovery §4.1).
    var discoveryURL: OutboundURL? {
        OutboundURL((issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/.well-known/openid-configuration")
    }
}
