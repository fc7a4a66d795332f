import PaceCrypto

/// How a delivery proves it came from this server: `Pace-Signature: v1=<hex>` where hex is
/// HMAC-SHA256 keyed with the webhook's secret (its UTF-8 text) over the decimal Unix-seconds
/// timestamp of `Pace-Timestamp`, a ".", and the exact body bytes. Receivers recompute it,
/// compare in constant time, and refuse a timestamp more than `replayWindowSeconds` from their
/// clock, so a captured delivery cannot be replayed later; `Pace-Delivery-Id` (stable across
/// retries) lets them drop duplicates inside the window.
package enum WebhookSignature {
    package static let replayWindowSeconds: Int64 = 300

    package static func sign(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        let message = Array("\(timestamp).".utf8) + body
        return "v1=" + Hex.encode(HMAC.sha256(key: Array(secret.utf8), message: message))
    }

    /// Whether `signature` is the right one for `body` at `timestamp`, and `timestamp` is within
    /// the replay window of `now` (both Unix seconds).
    package static func verify(_ signature: String, secret: String, timestamp: Int64, body: [UInt8], now: Int64) -> Bool {
        guard abs(now - timestamp) <= replayWindowSeconds else { return false }
        let expected = Array(sign(secret: secret, timestamp: timestamp, body: body).utf8)
        let given = Array(signature.utf8)
        return given.count == expected.count && ConstantTime.equals(given, expected)
    }
}
