import PaceCrypto
import PaceHTTP
import PaceSystem

/// The HMAC key for access tokens: `PACE_JWT_SECRET`'s UTF-8 bytes when set, otherwise 32
/// random bytes generated once and kept in `<data-dir>/jwt.secret` (mode 0600), so tokens
/// survive restarts.
package enum SigningKey {
    package static let fileName = "jwt.secret"

    package static func load(environment: [String: String], dataDirectory: String) throws(ConfigurationError) -> [UInt8] {
        if let secret = environment["PACE_JWT_SECRET"] {
            guard secret.utf8.count >= 16 else {
                throw ConfigurationError("PACE_JWT_SECRET must be at least 16 bytes long")
            }
            return Array(secret.utf8)
        }
        let path = dataDirectory + "/" + fileName
        if let existing = read(path) { return existing }
        let key = SecureRandom.bytes(32)
        try SecretFile.create(path, holding: Array(Hex.encode(key).utf8))
        return key
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let text = FileContents.bytes(path, limit: 256), text.count >= 32 else { return nil }
        return HexDecoding.bytes(text.filter { $0 != UInt8(ascii: "\n") })
    }
}
