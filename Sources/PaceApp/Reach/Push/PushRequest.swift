import PaceCrypto
import PaceHTTP
import PaceJSON
import PaceServer

/// The request RFC 8030 asks for: the payload encrypted for the subscription (RFC 8291), VAPID
/// authorization (RFC 8292), `TTL`, `Urgency`, and a `Topic` per conversation so a push service
/// holding an undelivered push for it replaces that one instead of queueing another.
enum PushRequest {
    enum Refusal: Error {
        case invalidEndpoint
        case invalidKeys
    }

    static func make(_ push: DuePush, vapid: inout VAPIDToken, ttlSeconds: Int64, timeoutMilliseconds: Int64,
                     nowSeconds: Int64) -> Result<OutboundRequest, Refusal> {
        guard let url = OutboundURL(push.endpoint) else { return .failure(.invalidEndpoint) }
        guard let point = Base64.url.decode(push.p256dh), let receiver = P256PublicKey(uncompressed: point),
              let auth = Base64.url.decode(push.auth),
              let body = WebPushEncryption.encrypt(plaintext(push), receiver: receiver, authSecret: auth) else {
            return .failure(.invalidKeys)
        }
        return .success(OutboundRequest(method: "POST", url: url, headers: [
            ("Authorization", vapid.authorization(origin: url.origin, now: nowSeconds)),
            ("TTL", String(ttlSeconds)),
            ("Urgency", push.urgency),
            ("Topic", topic(conversationID: push.conversationID)),
            ("Content-Encoding", "aes128gcm"),
            ("Content-Type", "application/octet-stream"),
            ("User-Agent", "Pace-Push/1"),
        ], body: body, timeoutMilliseconds: timeoutMilliseconds))
    }

    /// The stored payload with the number of messages the push stands for spliced in first
    /// (the payload is a JSON object written by `PushExpansion`).
    static func plaintext(_ push: DuePush) -> [UInt8] {
        Array("{\"count\":\(push.collapsed),".utf8) + Array(push.payload.utf8.dropFirst())
    }

    /// At most 32 characters of the base64url alphabet (RFC 8030 §5.4).
    static func topic(conversationID: Int64) -> String {
        "conversation-\(conversationID)"
    }

    /// The wait a 429 or 503 asks for, in milliseconds from `now`: `Retry-After` as
    /// delta-seconds or as an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7), at most a day.
    static func retryAfter(_ text: String?, now: Int64) -> Int64? {
        guard let text else { return nil }
        if let seconds = Int64(text) { return seconds >= 0 ? min(seconds, 86_400) * 1000 : nil }
        guard let date = imfFixdate(text) else { return nil }
        return min(max(0, date - now), 86_400_000)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` in Unix milliseconds, through the RFC 3339 reader.
    private static func imfFixdate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[1].count == 2, parts[3].count == 4,
              parts[4].count == 8, parts[5] == "GMT", let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let monthText = month < 9 ? "0\(month + 1)" : "\(month + 1)"
        return Timestamp.milliseconds(rfc3339: "\(parts[3])-\(monthText)-\(parts[1])T\(parts[4])Z")
    }
}
