import PaceCrypto
import PaceJSON

/// What register, login and refresh answer: the AuthResult object.
struct Session: Sendable {
    let user: UserRecord
    let family: TokenFamily
    let refreshToken: NewRefreshToken

    /// Signs a fresh access token for this session and writes
    /// `{user, access_token, refresh_token, token_type, expires_in}`.
    func write(to writer: inout JSONWriter, context: AppContext) {
        let seconds = context.now() / 1000
        let lifetime = context.authenticator.accessTokenSeconds
        let claims = AccessClaims(subject: user.id, issuedAt: seconds, expiresAt: seconds + lifetime,
                                  tokenID: Base64.url.encode(SecureRandom.bytes(16)), family: family.id)
        writer.beginObject()
        writer.key("user"); context.write(user, to: &writer)
        writer.key("access_token"); writer.string(context.authenticator.codec.sign(claims))
        writer.key("refresh_token"); writer.string(refreshToken.text)
        writer.key("token_type"); writer.string("Bearer")
        writer.key("expires_in"); writer.int(lifetime)
        writer.endObject()
    }
}
