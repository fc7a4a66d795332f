import PaceRedis
import PaceSystem
import Synchronization

/// Rate limits counted across the cluster in Redis: fixed windows of the limit's length, one
/// key per limiter, client key and window (`pace:rl:NAME:KEY:WINDOW`), `INCR` then `PEXPIRE`
/// pipelined on the bus's command connection. No Lua: the decision is made here, at once,
/// from the last count Redis answered plus this instance's attempts not yet answered. An
/// instance learns of the others' attempts from the answer to its own next one, so each
/// instance may let one attempt more through per window (and a burst spread over instances
/// within one round trip a few more).
/// A fixed window also lets up to twice the count through around a window's edge; each
/// instance's own token bucket still applies on top.
///
/// Fails open: while Redis is unreachable (or an answer is an error) attempts are counted
/// here only, so each instance enforces the limit on its own, and a warning is logged once a
/// minute.
package final class RedisRateCounter: SharedRateCounter {
    private struct Window {
        var number: Int64
        /// The cluster-wide count Redis last answered.
        var counted: Int64 = 0
        /// Attempts of this instance Redis has not answered yet.
        var pending: Int64 = 0
    }

    private let client: RedisClient
    private let prefix: String
    private let clock: @Sendable () -> Int64
    private let windows = Mutex<[String: Window]>([:])
    private let lastWarning = Atomic<Int64>(Int64.min / 2)
    private static let maxKeys = 50_000

    package init(client: RedisClient, prefix: String = "pace:rl:",
                 clock: @escaping @Sendable () -> Int64 = Clock.wallMilliseconds) {
        self.client = client
        self.prefix = prefix
        self.clock = clock
    }

    package func acquire(name: String, key: String, limit: RateLimit) -> Int? {
        let length = Int64(limit.seconds) * 1000
        let now = clock(), number = now / length
        let id = name + ":" + key
        let wait: Int? = windows.withLock { table in
            var window = table[id].flatMap { $0.number == number ? $0 : nil } ?? Window(number: number)
            guard window.counted + window.pending < Int64(limit.count) else {
                return Int(((number + 1) * length - now + 999) / 1000)
            }
            window.pending += 1
            if table[id] == nil, table.count >= Self.maxKeys { table = table.filter { $0.value.number >= number - 1 } }
            table[id] = window
            return nil
        }
        guard wait == nil else { return wait }
        guard client.isReady else {
            answered(id, number: number, count: nil)
            return nil
        }
        let redisKey = Array((prefix + id + ":" + String(number)).utf8)
        client.send([Array("INCR".utf8), redisKey]) { [self] reply in
            if case .success(.integer(let count)) = reply { answered(id, number: number, count: count) } else {
                answered(id, number: number, count: nil)
            }
        }
        client.send([Array("PEXPIRE".utf8), redisKey, Array(String(length + 1000).utf8)])
        return nil
    }

    /// Redis's count after an attempt, or nil when there is none: the attempt counts here only.
    private func answered(_ id: String, number: Int64, count: Int64?) {
        windows.withLock { table in
            guard var window = table[id], window.number == number else { return }
            window.pending = max(0, window.pending - 1)
            window.counted = count.map { max(window.counted, $0) } ?? window.counted + 1
            table[id] = window
        }
        if count == nil { warn() }
    }

    private func warn() {
        let now = Clock.monotonicMilliseconds()
        let last = lastWarning.load(ordering: .relaxed)
        guard now - last >= 60_000,
              lastWarning.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged else { return }
        Log.warn("cluster: redis unreachable; rate limits count per instance until it is back")
    }
}
