import PaceCrypto
import PaceSystem

/// The server's VAPID key pair (RFC 8292): `PACE_VAPID_PRIVATE_KEY` (the 32-byte private scalar,
/// base64url, as web-push tools print it) when set, otherwise generated once and kept in
/// `<data-dir>/vapid.key` (mode 0600). Browsers bind their subscriptions to the public key, so
/// it must never change: every instance sharing a PostgreSQL database must be given the same
/// `PACE_VAPID_PRIVATE_KEY`.
package enum VAPIDKey {
    package static let fileName = "vapid.key"

    package static func load(environment: [String: String], dataDirectory: String) throws(ConfigurationError) -> P256PrivateKey {
        if let text = environment["PACE_VAPID_PRIVATE_KEY"] {
            guard let key = decode(Array(text.utf8)) else {
                throw ConfigurationError("PACE_VAPID_PRIVATE_KEY must be a P-256 private key: 32 bytes, base64url")
            }
            return key
        }
        let path = dataDirectory + "/" + fileName
        if let existing = FileContents.bytes(path, limit: 256) {
            guard let key = decode(existing) else { throw ConfigurationError("\(path) does not hold a VAPID private key") }
            return key
        }
        let key = P256PrivateKey()
        try SecretFile.create(path, holding: Array((Base64.url.encode(key.scalar) + "\n").utf8))
        return key
    }

    private static func decode(_ text: [UInt8]) -> P256PrivateKey? {
        let trimmed = text.filter { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "=") }
        return Base64.url.decode(trimmed).flatMap(P256PrivateKey.init(scalar:))
    }
}
