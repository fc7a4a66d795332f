import PaceCrypto
import PaceJSON

/// VAPID (RFC 8292): an ES256-signed JWT naming the push service's origin (`aud`), an expiry
/// (`exp`, at most 24 hours ahead) and the operator (`sub`), sent with the public key as
/// `Authorization: vapid t=…, k=…`. Tokens are reused per origin until an hour before they
/// expire, so a burst of pushes signs once per push service, not once per push.
package struct VAPIDToken: Sendable {
    /// How long a token is valid: 12 hours, well inside the 24 hours push services accept.
    package static let lifetimeSeconds: Int64 = 12 * 3600

    private let key: P256PrivateKey
    private let subject: String
    /// The public key as `k=` carries it (base64url, uncompressed point).
    package let publicKey: String
    private var cache: [String: (header: String, expires: Int64)] = [:]

    package init(key: P256PrivateKey, subject: String) {
        self.key = key
        self.subject = subject
        publicKey = Base64.url.encode(key.publicKey)
    }

    /// The `Authorization` value for a request to `origin` (`https://push.example.net`) at
    /// `now` (Unix seconds).
    package mutating func authorization(origin: String, now: Int64) -> String {
        if let cached = cache[origin], cached.expires - 3600 > now { return cached.header }
        let expires = now + Self.lifetimeSeconds
        let header = "vapid t=\(Self.jwt(audience: origin, subject: subject, expires: expires, key: key)), k=\(publicKey)"
        if cache.count >= 256 { cache.removeAll() }
        cache[origin] = (header, expires)
        return header
    }

    /// `base64url(header) . base64url(claims) . base64url(r || s)`.
    package static func jwt(audience: String, subject: String, expires: Int64, key: P256PrivateKey) -> String {
        var claims = JSONWriter(capacity: 128)
        claims.beginObject()
        claims.key("aud"); claims.string(audience)
        claims.key("exp"); claims.int(expires)
        claims.key("sub"); claims.string(subject)
        claims.endObject()
        let signingInput = Base64.url.encode(Array(#"{"typ":"JWT","alg":"ES256"}"#.utf8)) + "." + Base64.url.encode(claims.bytes)
        return signingInput + "." + Base64.url.encode(key.signES256(Array(signingInput.utf8)))
    }
}
