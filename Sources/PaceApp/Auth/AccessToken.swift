import PaceCrypto
import PaceJSON

/// The claims Pace puts in an access token.
package struct AccessClaims: Sendable, Equatable {
    /// The user id.
    package var subject: Int64
    package var issuedAt: Int64
    package var expiresAt: Int64
    package var tokenID: String
    /// The refresh-token family this token was issued with, so revoking the family (logout,
    /// reuse detection) revokes its access tokens too.
    package var family: String

    package init(subject: Int64, issuedAt: Int64, expiresAt: Int64, tokenID: String, family: String) {
        self.subject = subject
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.family = family
    }
}

/// Why a token was refused; every case answers 401.
package enum TokenError: Error, Equatable, Sendable {
    case malformed
    case algorithm
    case signature
    case expired
    case issuedInFuture
    case missingClaim(String)
}

/// HS256 JSON Web Tokens (RFC 7519) signed with HMAC-SHA256 from libcrypto. Only the exact
/// header algorithm `HS256` is accepted, so `none` and algorithm confusion are refused, and
/// signatures are compared in constant time.
package struct AccessTokenCodec: Sendable {
    private let key: [UInt8]
    /// Accepted clock difference for `iat`, in seconds.
    private let skewSeconds: Int64 = 60
    private static let encodedHeader = Base64.url.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    package init(key: [UInt8]) {
        self.key = key
    }

    package func sign(_ claims: AccessClaims) -> String {
        var writer = JSONWriter(capacity: 160)
        writer.beginObject()
        writer.key("sub"); writer.string(String(claims.subject))
        writer.key("iat"); writer.int(claims.issuedAt)
        writer.key("exp"); writer.int(claims.expiresAt)
        writer.key("jti"); writer.string(claims.tokenID)
        writer.key("sid"); writer.string(claims.family)
        writer.endObject()
        let signingInput = Self.encodedHeader + "." + Base64.url.encode(writer.bytes)
        return signingInput + "." + Base64.url.encode(HMAC.sha256(key: key, message: Array(signingInput.utf8)))
    }

    /// Checks structure, algorithm, signature, then times, in that order; `now` is in seconds.
    package func verify(_ token: String, now: Int64) -> Result<AccessClaims, TokenError> {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count <= 4096,
              let headerBytes = Base64.url.decode(Array(parts[0])),
              let payloadBytes = Base64.url.decode(Array(parts[1])),
              let signature = Base64.url.decode(Array(parts[2])),
              let header = try? JSONParser.parse(headerBytes),
              let payload = try? JSONParser.parse(payloadBytes) else { return .failure(.malformed) }
        guard header["alg"]?.stringValue == "HS256" else { return .failure(.algorithm) }
        let signingInput = Array(parts[0]) + [UInt8(ascii: ".")] + Array(parts[1])
        guard ConstantTime.equals(HMAC.sha256(key: key, message: signingInput), signature) else {
            return .failure(.signature)
        }
        return claims(payload, now: now)
    }

    private func claims(_ payload: JSONValue, now: Int64) -> Result<AccessClaims, TokenError> {
        guard let subjectText = payload["sub"]?.stringValue else { return .failure(.missingClaim("sub")) }
        guard let subject = Int64(subjectText) else { return .failure(.malformed) }
        guard case .number(.integer(let issuedAt)) = payload["iat"] else { return .failure(.missingClaim("iat")) }
        guard case .number(.integer(let expiresAt)) = payload["exp"] else { return .failure(.missingClaim("exp")) }
        guard let tokenID = payload["jti"]?.stringValue else { return .failure(.missingClaim("jti")) }
        guard let family = payload["sid"]?.stringValue else { return .failure(.missingClaim("sid")) }
        guard expiresAt > now else { return .failure(.expired) }
        guard issuedAt <= now + skewSeconds else { return .failure(.issuedInFuture) }
        return .success(AccessClaims(subject: subject, issuedAt: issuedAt, expiresAt: expiresAt,
                                     tokenID: tokenID, family: family))
    }
}
