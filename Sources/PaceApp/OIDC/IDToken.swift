import PaceCrypto
import PaceJSON

/// What Pace expects of an ID token (OpenID Connect Core §3.1.3.7).
struct IDTokenExpectations: Sendable {
    let issuer: String
    let clientID: String
    let nonce: String
    /// Seconds of clock difference tolerated for `exp` and `iat`.
    var leewaySeconds: Int64 = 60
}

/// The claims Pace uses from a verified ID token.
struct IDTokenClaims: Sendable, Equatable {
    let subject: String
    let preferredUsername: String?
    let name: String?
}

/// A compact JWS (RFC 7515 §7.1) as an ID token: the header's algorithm and key ID, the signed
/// bytes, the signature and the claims. Parsing refuses every algorithm but RS256 and ES256
/// before any key is looked at, so `none` and HS256-keyed-with-the-public-key never get near a
/// verification.
struct IDToken: Sendable {
    static let maximumLength = 16 * 1024
    static let algorithms = ["RS256": VerificationKey.Kind.rsa, "ES256": .p256]

    let algorithm: String
    let keyKind: VerificationKey.Kind
    let keyID: String?
    let signingInput: [UInt8]
    let signature: [UInt8]
    let claims: JSONValue

    static func parse(_ text: String) -> Result<IDToken, OIDCError> {
        guard text.utf8.count <= maximumLength else { return .failure(.tokenMalformed) }
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64.url.decode(Array(parts[0])),
              let header = try? JSONParser.parse(headerBytes, maxDepth: 4), header.objectValue != nil,
              let claimBytes = Base64.url.decode(Array(parts[1])),
              let claims = try? JSONParser.parse(claimBytes, maxDepth: 8), claims.objectValue != nil,
              let signature = Base64.url.decode(Array(parts[2])) else { return .failure(.tokenMalformed) }
        guard let algorithm = header["alg"]?.stringValue, let kind = algorithms[algorithm] else {
            return .failure(.algorithmRefused)
        }
        // RFC 7515 §4.1.11: extensions Pace does not understand must not be ignored.
        guard header["crit"] == nil, header["kid"].map({ $0.stringValue != nil }) ?? true else {
            return .failure(.tokenMalformed)
        }
        let signingInput = Array(text.utf8.prefix(parts[0].count + 1 + parts[1].count))
        return .success(IDToken(algorithm: algorithm, keyKind: kind, keyID: header["kid"]?.stringValue,
                                signingInput: signingInput, signature: signature, claims: claims))
    }

    /// Checks the signature with `key`, then the claims against `expected` at `now` (seconds).
    func verify(with key: VerificationKey, _ expected: IDTokenExpectations, now: Int64) -> Result<IDTokenClaims, OIDCError> {
        guard key.kind == keyKind else { return .failure(.unknownKey) }
        guard key.isValidSignature(signature, of: signingInput) else { return .failure(.signatureInvalid) }
        guard claims["iss"]?.stringValue == expected.issuer else { return .failure(.issuerMismatch) }
        let audiences: [String]
        switch claims["aud"] {
        case .string(let single)?: audiences = [single]
        case .array(let many)?: audiences = many.compactMap(\.stringValue)
        default: return .failure(.audienceMismatch)
        }
        guard audiences.contains(expected.clientID) else { return .failure(.audienceMismatch) }
        // Core §3.1.3.7 (4, 5): with other audiences the authorized party must be this client.
        let authorizedParty = claims["azp"]?.stringValue
        if audiences.count > 1 || claims["azp"] != nil, authorizedParty != expected.clientID {
            return .failure(.audienceMismatch)
        }
        guard let expiry = claims["exp"]?.int64Value, let issuedAt = claims["iat"]?.int64Value else {
            return .failure(.tokenMalformed)
        }
        guard now < expiry + expected.leewaySeconds else { return .failure(.expired) }
        guard issuedAt <= now + expected.leewaySeconds else { return .failure(.notYetValid) }
        guard let nonce = claims["nonce"]?.stringValue,
              ConstantTime.equals(Array(nonce.utf8), Array(expected.nonce.utf8)) else { return .failure(.nonceMismatch) }
        guard let subject = claims["sub"]?.stringValue, (1...255).contains(subject.utf8.count) else {
            return .failure(.tokenMalformed)
        }
        return .success(IDTokenClaims(subject: subject, preferredUsername: claims["preferred_username"]?.stringValue,
                                      name: claims["name"]?.stringValue))
    }
}
