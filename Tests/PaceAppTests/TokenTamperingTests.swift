import PaceApp
import PaceCrypto
import PaceJSON
import Testing

@Suite("Access-token checks")
struct TokenTamperingTests {
    static let secret = "a-test-secret-of-enough-length"

    /// A server with a known signing key, and one user's session.
    private func session() throws -> (TestApp, TestAccount) {
        let app = try TestApp.accounts(["PACE_JWT_SECRET": Self.secret])
        return (app, try app.register("frank"))
    }

    private func parts(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// `header.payload.signature` with the header replaced and signed with HMAC-SHA256 and the
    /// real key: a valid-looking signature under the wrong algorithm.
    private func resigned(_ token: String, header: String) -> String {
        let input = Base64.url.encode(Array(header.utf8)) + "." + parts(token)[1]
        return input + "." + Base64.url.encode(HMAC.sha256(key: Array(Self.secret.utf8), message: Array(input.utf8)))
    }

    static let invalidChallenge = #"Bearer error="invalid_token", error_description="The access token is invalid or revoked""#
    static let expiredChallenge = #"Bearer error="invalid_token", error_description="The access token expired""#

    /// A 401 whose challenge follows RFC 6750 §3.1: no error code without a token,
    /// `invalid_token` with one that fails.
    private func expectRefused(_ app: TestApp, _ token: String?, _ comment: Comment? = nil,
                               code: String = "unauthorized") throws {
        let answer = try app.request("GET", "/api/v1/me", token: token)
        #expect(answer.status == 401, comment)
        let challenge = token == nil ? "Bearer" : code == "token_expired" ? Self.expiredChallenge : Self.invalidChallenge
        #expect(answer.header("www-authenticate") == challenge, comment)
        #expect(answer.text.contains(#""code":"\#(code)""#), comment)
    }

    @Test func theUntouchedTokenAndAKeySignedCopyAreAccepted() throws {
        let (app, account) = try session()
        #expect(try app.call("GET", "/api/v1/me", token: account.accessToken).status == 200)
        // The re-signing helper itself must produce tokens the server accepts with HS256.
        let same = resigned(account.accessToken, header: #"{"alg":"HS256","typ":"JWT"}"#)
        #expect(try app.call("GET", "/api/v1/me", token: same).status == 200)
    }

    @Test func aFlippedPayloadOrSignatureByteIsRefused() throws {
        let (app, account) = try session()
        var pieces = parts(account.accessToken)
        var payload = try #require(Base64.url.decode(pieces[1]))
        payload[payload.count / 2] ^= 0x01
        let payloadFlipped = [pieces[0], Base64.url.encode(payload), pieces[2]].joined(separator: ".")
        try expectRefused(app, payloadFlipped, "payload byte flipped")
        var signature = try #require(Base64.url.decode(pieces[2]))
        signature[0] ^= 0x80
        pieces[2] = Base64.url.encode(signature)
        try expectRefused(app, pieces.joined(separator: "."), "signature byte flipped")
    }

    @Test func algNoneAndOtherAlgorithmsAreRefused() throws {
        let (app, account) = try session()
        let none = Base64.url.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts(account.accessToken)[1] + "."
        try expectRefused(app, none, "alg none")
        for algorithm in ["HS512", "RS256", "hs256", "none"] {
            try expectRefused(app, resigned(account.accessToken, header: #"{"alg":"\#(algorithm)","typ":"JWT"}"#), "\(algorithm)")
        }
    }

    /// Only a token Pace signed may claim to have expired: a forged one past its `exp` is
    /// invalid, so a client is never told to refresh what it should throw away.
    @Test func aForgedExpiredTokenIsInvalidNotExpired() throws {
        let (app, account) = try session()
        let now = Int64(app.server.context.now() / 1000)
        let forger = AccessTokenCodec(key: Array("some-other-key-of-enough-length".utf8))
        let forged = forger.sign(AccessClaims(subject: Int64(account.id) ?? 0, issuedAt: now - 1000, expiresAt: now - 1,
                                              tokenID: "forged", family: "f"))
        try expectRefused(app, forged, "forged and expired")
    }

    @Test func expiredTokensAreRefused() throws {
        let (app, account) = try session()
        let codec = app.server.context.authenticator.codec
        let now = Int64(app.server.context.now() / 1000)
        let fresh = codec.verify(account.accessToken, now: now)
        let family = try fresh.get().family
        let expired = codec.sign(AccessClaims(subject: Int64(account.id) ?? 0, issuedAt: now - 1000, expiresAt: now - 1,
                                              tokenID: "expired", family: family))
        try expectRefused(app, expired, "expired", code: "token_expired")
        let valid = codec.sign(AccessClaims(subject: Int64(account.id) ?? 0, issuedAt: now, expiresAt: now + 60,
                                            tokenID: "valid", family: family))
        #expect(try app.call("GET", "/api/v1/me", token: valid).status == 200)
    }

    @Test func missingOrGarbageAuthorizationIsRefused() throws {
        let (app, account) = try session()
        try expectRefused(app, nil, "no header")
        for token in ["garbage", "a.b.c", account.accessToken + "x", String(repeating: "A", count: 5000)] {
            try expectRefused(app, token, "token \(token.prefix(20))")
        }
        for value in ["Basic \(account.accessToken)", "Bearer", "", account.accessToken] {
            let answer = try app.request("GET", "/api/v1/me", headers: [("Authorization", value)])
            #expect(answer.status == 401, "Authorization: \(value.prefix(20))")
        }
    }

    @Test func aTokenForAUserThatDoesNotExistIsRefused() throws {
        let (app, account) = try session()
        let codec = app.server.context.authenticator.codec
        let now = Int64(app.server.context.now() / 1000)
        let family = try codec.verify(account.accessToken, now: now).get().family
        let ghost = codec.sign(AccessClaims(subject: 999, issuedAt: now, expiresAt: now + 60, tokenID: "g", family: family))
        try expectRefused(app, ghost, "ghost user")
    }
}
