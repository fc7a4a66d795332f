/// Settings of Web Push, from `PACE_*` variables over these defaults.
package struct PushConfiguration: Sendable {
    /// What a push shows of a message.
    package enum Preview: String, Sendable {
        /// The first `previewCharacters` characters of a text message.
        case full
        /// Who wrote in which conversation, never what.
        case none
    }

    /// `PACE_VAPID_SUBJECT`: the `sub` claim, a `mailto:` or `https:` URI push services may
    /// use to reach the operator (RFC 8292 §2.1).
    package var subject = "mailto:postmaster@localhost"
    /// `PACE_PUSH_PREVIEW`: `full` (default) or `none`.
    package var preview = Preview.full
    package var previewCharacters = 120
    /// `PACE_PUSH_DELAY_MS`: how long after a message its pushes are worked out: whoever has
    /// a socket open then hears it live instead, and messages of one conversation within the
    /// window collapse into one push.
    package var delayMilliseconds: Int64 = 2_000
    /// `PACE_PUSH_TTL_SECONDS`: how long a push service keeps a push for an unreachable device.
    package var ttlSeconds: Int64 = 86_400
    /// `PACE_PUSH_TIMEOUT_MS`: one attempt, from connect to the last response byte.
    package var timeoutMilliseconds: Int64 = 10_000
    /// `PACE_PUSH_RETRY_BASE_MS`: the first wait after a 429, 5xx or network failure (doubling,
    /// at most 10 minutes apart), given up when the push would be older than its TTL.
    package var retry = RetrySchedule(baseMilliseconds: 2_000, maxDelayMilliseconds: 600_000, windowMilliseconds: 86_400_000)

    package init() {}

    package init(environment: [String: String]) throws(ConfigurationError) {
        if let subject = environment["PACE_VAPID_SUBJECT"] {
            guard subject.hasPrefix("mailto:") || subject.hasPrefix("https://"), subject.utf8.count <= 256,
                  subject.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
                throw ConfigurationError("PACE_VAPID_SUBJECT must be a mailto: or https: URI, got '\(subject)'")
            }
            self.subject = subject
        }
        if let text = environment["PACE_PUSH_PREVIEW"] {
            guard let preview = Preview(rawValue: text) else {
                throw ConfigurationError("PACE_PUSH_PREVIEW must be full or none, got '\(text)'")
            }
            self.preview = preview
        }
        delayMilliseconds = try ConfigurationError.number(environment, "PACE_PUSH_DELAY_MS", 0...600_000, default: delayMilliseconds)
        ttlSeconds = try ConfigurationError.number(environment, "PACE_PUSH_TTL_SECONDS", 0...(28 * 86_400), default: ttlSeconds)
        timeoutMilliseconds = try ConfigurationError.number(environment, "PACE_PUSH_TIMEOUT_MS", 100...120_000, default: timeoutMilliseconds)
        retry.baseMilliseconds = try ConfigurationError.number(environment, "PACE_PUSH_RETRY_BASE_MS", 10...3_600_000,
                                                               default: retry.baseMilliseconds)
        // A push nobody could receive past its TTL is not worth retrying (at least a minute).
        retry.windowMilliseconds = max(60_000, ttlSeconds * 1000)
    }
}
