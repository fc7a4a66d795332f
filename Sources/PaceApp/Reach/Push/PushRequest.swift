import PaceCrypto
import PaceHTTP
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

    /// The wait a 429 or 503 asks for, in milliseconds: `Retry-After` in delta-seconds (an
    /// HTTP-date is not parsed: the backoff applies then), at most a day.
    static func retryAfter(_ text: String?) -> Int64? {
        guard let text, let seconds = Int64(text), seconds >= 0 else { return nil }
        return min(seconds, 86_400) * 1000
    }
}
