#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceRedis
import PaceSystem
import Testing
@testable import PaceApp

/// Rate limits counted across instances in Redis, and counted per instance without it.
@Suite(.serialized)
struct RedisRateCounterTests {
    private func settle() { usleep(100_000) }

    @Test func attemptsOnTwoInstancesShareOneLimit() throws {
        guard let redis = RedisServerProcess() else { return }
        let group = try EventLoopGroup(count: 1) { _ in }
        let dialer = try BlockingPool(threads: 1)
        defer { group.stopAndJoin(); dialer.shutdown() }
        let url = RedisURL(host: "127.0.0.1", port: redis.port)
        let clients = [RedisClient(url: url, loop: group.loops[0], dialer: dialer),
                       RedisClient(url: url, loop: group.loops[0], dialer: dialer)]
        for client in clients { client.start() }
        defer { for client in clients { client.stop() } }
        for _ in 0..<300 where !clients.allSatisfy(\.isReady) { usleep(10_000) }
        let limit = RateLimit(count: 5, seconds: 60)
        // Two instances' limiters, each with its own bucket (5 at once) and the shared count.
        let sharing = [RateLimitSharing(), RateLimitSharing()]
        for (box, client) in zip(sharing, clients) { box.install(RedisRateCounter(client: client)) }
        let limiters = sharing.map { RateLimiter(limit, name: "login", sharing: $0) }
        for _ in 0..<3 { #expect(limiters[0].acquire("ann") == nil) }
        settle()
        #expect(limiters[1].acquire("ann") == nil)
        #expect(limiters[1].acquire("ann") == nil)
        settle()
        let refused = try #require(limiters[1].acquire("ann"))
        #expect(refused > 0 && refused <= limit.seconds, "B's own bucket has 3 left: the shared count refused")
        // A learns of B's attempts from the answer to its own next one, which therefore passes.
        _ = limiters[0].acquire("ann")
        settle()
        #expect(limiters[0].acquire("ann") != nil)
        #expect(limiters[0].acquire("bob") == nil, "keys are counted apart")
    }

    @Test func withoutRedisEachInstanceCountsAlone() throws {
        let group = try EventLoopGroup(count: 1) { _ in }
        let dialer = try BlockingPool(threads: 1)
        defer { group.stopAndJoin(); dialer.shutdown() }
        // Nothing listens on port 1: attempts are neither refused nor held up for want of an
        // answer; the limit holds per instance.
        let client = RedisClient(url: RedisURL(host: "127.0.0.1", port: 1), loop: group.loops[0], dialer: dialer)
        client.start()
        defer { client.stop() }
        let sharing = RateLimitSharing()
        sharing.install(RedisRateCounter(client: client))
        let limiter = RateLimiter(RateLimit(count: 3, seconds: 60), name: "login", sharing: sharing)
        for _ in 0..<3 { #expect(limiter.acquire("ann") == nil) }
        #expect(limiter.acquire("ann") != nil)
    }
}
