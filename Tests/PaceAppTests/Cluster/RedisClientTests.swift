#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceRedis
import PaceSystem
import Synchronization
import Testing
@testable import PaceApp

/// The client against a real redis-server: pipelined replies matched in order, errors as
/// values, and commands issued before the connection is up sent once it is.
@Suite(.serialized)
struct RedisClientTests {
    private func waitFor(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 where !condition() { usleep(10_000) }
        return condition()
    }

    @Test func pipelinedRepliesArriveInOrder() throws {
        guard let redis = RedisServerProcess() else { return }
        let group = try EventLoopGroup(count: 1) { _ in }
        let dialer = try BlockingPool(threads: 1)
        defer { group.stopAndJoin(); dialer.shutdown() }
        let client = RedisClient(url: RedisURL(host: "127.0.0.1", port: redis.port), loop: group.loops[0], dialer: dialer)
        client.start()
        defer { client.stop() }
        let replies = Mutex<[RESPValue]>([])
        // Issued before the connection is up: queued, then sent in order.
        for n in 1...200 {
            client.send([Array("INCR".utf8), Array("counter".utf8)]) { result in
                if case .success(let value) = result { replies.withLock { $0.append(value) } }
            }
            if n == 100 {
                client.send([Array("NOSUCHCOMMAND".utf8)]) { result in
                    if case .success(let value) = result { replies.withLock { $0.append(value) } }
                }
            }
        }
        #expect(waitFor { replies.withLock { $0.count } == 201 })
        let values = replies.withLock { $0 }
        let integers = values.compactMap { if case .integer(let n) = $0 { n } else { nil } }
        #expect(integers == Array(1...200))
        if case .error(let message) = values[100] {
            #expect(message.hasPrefix("ERR"))
        } else {
            Issue.record("the unknown command's error is not the 101st reply: \(values[100])")
        }
        #expect(client.isReady)
    }
}
