import PaceSystem
import Synchronization

/// `count` requests per `seconds`, written `COUNT/SECONDS` in the environment (`20/60`).
package struct RateLimit: Sendable, Equatable {
    package var count: Int
    package var seconds: Int

    package init(count: Int, seconds: Int) {
        self.count = count
        self.seconds = seconds
    }

    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), let seconds = Int(parts[1]),
              (1...1_000_000).contains(count), (1...86_400).contains(seconds) else { return nil }
        self.init(count: count, seconds: seconds)
    }
}

/// A thread-safe token bucket per key (client address or username): each key may spend
/// `limit.count` requests at once and regains them evenly over `limit.seconds`.
///
/// In a cluster (`sharing` with a counter installed) an attempt the bucket allows must also
/// fit the limit counted across all instances (see `RedisRateCounter`).
///
/// Memory is bounded: a bucket that has refilled completely is the same as no bucket, so such
/// keys are dropped whenever the table grows past `maxKeys`; if that is not enough (a flood
/// of distinct keys inside one window) the least recently used half is dropped.
package final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Int64
    }

    package let limit: RateLimit
    private let maxKeys: Int
    private let clock: @Sendable () -> Int64
    private let buckets = Mutex<[String: Bucket]>([:])
    /// The limiter's name in the shared count (`login-ip`, `messages`…).
    private let name: String
    private let sharing: RateLimitSharing?
    /// Tokens regained per millisecond.
    private var refillRate: Double { Double(limit.count) / Double(limit.seconds * 1000) }

    /// `clock` gives monotonic milliseconds (replaceable in tests).
    package init(_ limit: RateLimit, maxKeys: Int = 50_000,
                 clock: @escaping @Sendable () -> Int64 = Clock.monotonicMilliseconds,
                 name: String = "", sharing: RateLimitSharing? = nil) {
        self.limit = limit
        self.name = name
        self.sharing = sharing
        self.maxKeys = max(1, maxKeys)
        self.clock = clock
    }

    /// Spends one token of `key`: nil when allowed, else the whole seconds until one is back.
    package func acquire(_ key: String) -> Int? {
        if let wait = acquireHere(key) { return wait }
        return sharing?.acquire(name: name, key: key, limit: limit)
    }

    private func acquireHere(_ key: String) -> Int? {
        let now = clock()
        return buckets.withLock { table in
            var bucket = table[key].map { refilled($0, now: now) } ?? Bucket(tokens: Double(limit.count), updated: now)
            guard bucket.tokens >= 1 else {
                table[key] = bucket
                return Int(((1 - bucket.tokens) / refillRate / 1000).rounded(.up))
            }
            bucket.tokens -= 1
            if table[key] == nil, table.count >= maxKeys { evict(&table, now: now) }
            table[key] = bucket
            return nil
        }
    }

    /// How many keys are tracked (for tests of the memory bound).
    package var trackedKeys: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, now: Int64) -> Bucket {
        let tokens = bucket.tokens + Double(max(0, now - bucket.updated)) * refillRate
        return Bucket(tokens: min(Double(limit.count), tokens), updated: now)
    }

    private func evict(_ table: inout [String: Bucket], now: Int64) {
        table = table.filter { refilled($0.value, now: now).tokens < Double(limit.count) }
        guard table.count >= maxKeys else { return }
        let newest = table.sorted { $0.value.updated > $1.value.updated }.prefix(maxKeys / 2)
        table = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
    }
}
