import PaceServer
import PaceSystem
import Synchronization

/// Per-user spam controls on sending messages, over REST and WebSocket alike. Each is off
/// unless configured (existing clients and load tests keep their throughput) and all are off
/// with `PACE_RATE_LIMITS=off`:
///
/// | variable | meaning |
/// |---|---|
/// | `PACE_RATE_MESSAGES_BURST` | `COUNT/SECONDS`: at most COUNT at once, regained over SECONDS |
/// | `PACE_RATE_MESSAGES` | `COUNT/SECONDS`: the sustained rate, a second, larger bucket |
/// | `PACE_DUPLICATE_MESSAGES` | `COUNT/SECONDS`: the same body at most COUNT times in SECONDS |
///
/// A refusal is 429 with `Retry-After` (`rate_limited` or `duplicate_message`); over WebSocket
/// the same code arrives as an `error` frame. In a cluster the two rate buckets are also counted
/// across the instances (`sharing`); the duplicate check stays per instance.
package final class MessageThrottle: Sendable {
    private struct Repeats {
        var body: Int
        var count: Int
        var since: Int64
    }

    private let burst: RateLimiter?
    private let sustained: RateLimiter?
    private let duplicates: RateLimit?
    private let clock: @Sendable () -> Int64
    private let repeats = Mutex<[Int64: Repeats]>([:])
    private static let maxTrackedUsers = 50_000

    package init(environment: [String: String], clock: @escaping @Sendable () -> Int64 = Clock.monotonicMilliseconds,
                 sharing: RateLimitSharing? = nil) throws(ConfigurationError) {
        let enabled = environment["PACE_RATE_LIMITS"].map { $0.lowercased() != "off" } ?? true
        func limit(_ name: String) throws(ConfigurationError) -> RateLimit? {
            guard enabled, let text = environment[name], text != "off" else { return nil }
            guard let limit = RateLimit(parsing: text) else {
                throw ConfigurationError("\(name) must look like COUNT/SECONDS (for example 10/10) or off, got '\(text)'")
            }
            return limit
        }
        self.clock = clock
        burst = try limit("PACE_RATE_MESSAGES_BURST").map {
            RateLimiter($0, clock: clock, name: "PACE_RATE_MESSAGES_BURST", sharing: sharing)
        }
        sustained = try limit("PACE_RATE_MESSAGES").map {
            RateLimiter($0, clock: clock, name: "PACE_RATE_MESSAGES", sharing: sharing)
        }
        duplicates = try limit("PACE_DUPLICATE_MESSAGES")
    }

    static let duplicateRefusal = "duplicate_message"

    /// Nil when `user` may send `body` now; else the 429 to answer.
    package func check(user: Int64, body: String) -> APIError? {
        let key = String(user)
        if let seconds = burst?.acquire(key) ?? sustained?.acquire(key) { return .rateLimited(retryAfterSeconds: seconds) }
        guard let duplicates, !body.isEmpty else { return nil }
        let now = clock(), window = Int64(duplicates.seconds) * 1000, hash = body.hashValue
        let wait: Int64? = repeats.withLock { table in
            var entry = table[user] ?? Repeats(body: hash, count: 0, since: now)
            if entry.body != hash || now - entry.since >= window { entry = Repeats(body: hash, count: 0, since: now) }
            guard entry.count < duplicates.count else { return entry.since + window - now }
            entry.count += 1
            if table[user] == nil, table.count >= Self.maxTrackedUsers { table = table.filter { now - $0.value.since < window } }
            table[user] = entry
            return nil
        }
        guard let wait else { return nil }
        return APIError(429, Self.duplicateRefusal, "The same message was sent too many times; wait or change it.",
                        headers: [HTTPHeader("Retry-After", String(max(1, (wait + 999) / 1000)))])
    }
}
