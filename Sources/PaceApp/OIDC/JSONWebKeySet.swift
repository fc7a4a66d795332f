import PaceCrypto
import PaceJSON

/// A provider's signing keys from its `jwks_uri` (RFC 7517 §5): RSA and P-256 keys meant for
/// signatures. Keys Pace cannot use (other types, curves, encryption keys, weak RSA) are
/// skipped rather than failing the set, so one odd key does not stop sign-in.
struct JSONWebKeySet: Sendable {
    struct Entry: Sendable {
        let keyID: String?
        let key: VerificationKey
    }

    static let maximumKeys = 32

    let entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries
    }

    /// Nil when the document is not a JWK set at all.
    init?(_ document: JSONValue) {
        guard let keys = document["keys"]?.arrayValue else { return nil }
        entries = keys.prefix(Self.maximumKeys).compactMap(Self.entry)
    }

    /// The key for a token's `kid` and algorithm; a token without `kid` needs exactly one candidate.
    func key(id: String?, kind: VerificationKey.Kind) -> VerificationKey? {
        let candidates = entries.filter { $0.key.kind == kind && (id == nil || $0.keyID == id) }
        return candidates.count == 1 ? candidates[0].key : nil
    }

    private static func entry(_ jwk: JSONValue) -> Entry? {
        if let use = jwk["use"], use.stringValue != "sig" { return nil }
        let keyID = jwk["kid"]?.stringValue
        let algorithm = jwk["alg"]?.stringValue
        switch jwk["kty"]?.stringValue {
        case "RSA":
            guard algorithm == nil || algorithm == "RS256", let n = bytes(jwk["n"]), let e = bytes(jwk["e"]),
                  let key = VerificationKey.rsa(modulus: n, exponent: e) else { return nil }
            return Entry(keyID: keyID, key: key)
        case "EC":
            guard algorithm == nil || algorithm == "ES256", jwk["crv"]?.stringValue == "P-256",
                  let x = bytes(jwk["x"]), let y = bytes(jwk["y"]),
                  let key = VerificationKey.p256(x: x, y: y) else { return nil }
            return Entry(keyID: keyID, key: key)
        default:
            return nil
        }
    }

    private static func bytes(_ value: JSONValue?) -> [UInt8]? {
        value?.stringValue.flatMap { Base64.url.decode($0) }
    }
}
