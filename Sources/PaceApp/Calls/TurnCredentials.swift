import PaceCrypto
import PaceJSON

/// Time-limited TURN credentials in the "REST API for TURN services" form coturn accepts with
/// `use-auth-secret`: the username is `expiry:userid` (expiry in Unix seconds) and the
/// credential is base64(HMAC-SHA1(secret, username)). Nothing is stored: the TURN server
/// recomputes the credential from the shared secret.
package struct TurnCredentials: Sendable {
    package let secret: [UInt8]
    package let uris: [String]
    package let ttlSeconds: Int64

    /// From `PACE_TURN_SECRET`, `PACE_TURN_URIS` (comma-separated `turn:`/`turns:`/`stun:`
    /// URIs) and `PACE_TURN_TTL_SECONDS` (default a day); nil without a secret.
    package init?(environment: [String: String]) throws(ConfigurationError) {
        guard let secret = environment["PACE_TURN_SECRET"], !secret.isEmpty else { return nil }
        self.secret = Array(secret.utf8)
        uris = (environment["PACE_TURN_URIS"] ?? "").split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        for uri in uris where !(uri.hasPrefix("turn:") || uri.hasPrefix("turns:") || uri.hasPrefix("stun:")) {
            throw ConfigurationError("PACE_TURN_URIS entries must start with turn:, turns: or stun:, got '\(uri)'")
        }
        if let value = environment["PACE_TURN_TTL_SECONDS"] {
            guard let seconds = Int64(value), (60...7 * 86_400).contains(seconds) else {
                throw ConfigurationError("PACE_TURN_TTL_SECONDS must be 60 to 604800, got '\(value)'")
            }
            ttlSeconds = seconds
        } else {
            ttlSeconds = 86_400
        }
    }

    /// The username and credential for `userID`, valid until `nowSeconds + ttlSeconds`.
    package func issue(userID: Int64, nowSeconds: Int64) -> (username: String, credential: String) {
        let username = "\(nowSeconds + ttlSeconds):\(userID)"
        return (username, Base64.standard.encode(HMAC.sha1(key: secret, message: Array(username.utf8))))
    }

    func write(userID: Int64, nowSeconds: Int64, into writer: inout JSONWriter) {
        let (username, credential) = issue(userID: userID, nowSeconds: nowSeconds)
        writer.beginObject()
        writer.key("username"); writer.string(username)
        writer.key("credential"); writer.string(credential)
        writer.key("ttl"); writer.int(ttlSeconds)
        writer.key("expires_at"); writer.timestamp(milliseconds: (nowSeconds + ttlSeconds) * 1000)
        writer.key("uris")
        writer.beginArray()
        for uri in uris { writer.string(uri) }
        writer.endArray()
        writer.endObject()
    }
}

/// `GET /api/v1/calls/turn-credentials`: 200 credentials, or 404 `turn_not_configured`.
enum TurnRoutes {
    static func register(in router: inout Router, context: AppContext) throws(ConfigurationError) {
        let turn = try TurnCredentials(environment: context.configuration.environment)
        router.add(.get, "/api/v1/calls/turn-credentials", .authenticated(context) { _, reply, caller in
            guard let turn else {
                return reply.error(APIError(404, "turn_not_configured", "This server has no TURN relay configured."))
            }
            reply.json { writer in turn.write(userID: caller.id, nowSeconds: context.now() / 1000, into: &writer) }
        })
    }
}
