/// Why an OpenID Connect sign-in was refused; each has a stable API error code.
enum OIDCError: Error, Sendable, Equatable {
    /// `PACE_OIDC_ISSUER` is not set.
    case notConfigured
    /// The callback's `state` is unknown, expired or already used.
    case stateMismatch
    /// The provider sent the user back with an `error` parameter (the user said no).
    case providerRefused(String)
    /// Discovery, JWKS or the token endpoint could not be reached or answered nonsense.
    case providerUnavailable
    /// The token endpoint refused the code (reused, expired or for another client).
    case codeRejected
    case tokenMalformed
    /// `alg` is not RS256 or ES256: `none`, HS256 (a public key used as an HMAC secret)…
    case algorithmRefused
    /// No key in the provider's JWKS matches the token's `kid` and algorithm.
    case unknownKey
    case signatureInvalid
    case issuerMismatch
    /// `aud` does not name this client, or `azp` names another.
    case audienceMismatch
    case expired
    /// `iat` lies in the future.
    case notYetValid
    case nonceMismatch
    /// The one-time code of `POST /api/v1/auth/oidc/token` is unknown, used or expired.
    case signInCodeInvalid

    var apiError: APIError {
        switch self {
        case .notConfigured: APIError(404, "oidc_not_configured", "OpenID Connect sign-in is not configured on this server.")
        case .stateMismatch: APIError(400, "oidc_state_mismatch", "The sign-in state is unknown, expired or already used.")
        case .providerRefused(let code): APIError(400, "oidc_provider_refused", "The identity provider refused: \(code).")
        case .providerUnavailable: APIError(502, "oidc_provider_unavailable", "The identity provider could not be reached.")
        case .codeRejected: APIError(400, "oidc_code_rejected", "The identity provider refused the authorization code.")
        case .tokenMalformed: APIError(401, "oidc_token_malformed", "The ID token is not a well-formed signed JWT.")
        case .algorithmRefused: APIError(401, "oidc_algorithm_refused", "The ID token must be signed with RS256 or ES256.")
        case .unknownKey: APIError(401, "oidc_unknown_key", "No key of the identity provider matches the ID token.")
        case .signatureInvalid: APIError(401, "oidc_signature_invalid", "The ID token's signature is not valid.")
        case .issuerMismatch: APIError(401, "oidc_issuer_mismatch", "The ID token comes from another issuer.")
        case .audienceMismatch: APIError(401, "oidc_audience_mismatch", "The ID token is meant for another client.")
        case .expired: APIError(401, "oidc_token_expired", "The ID token has expired.")
        case .notYetValid: APIError(401, "oidc_token_not_yet_valid", "The ID token is issued in the future.")
        case .nonceMismatch: APIError(401, "oidc_nonce_mismatch", "The ID token's nonce does not match this sign-in.")
        case .signInCodeInvalid: APIError(400, "invalid_sign_in_code", "The sign-in code is unknown, used or expired.")
        }
    }
}
