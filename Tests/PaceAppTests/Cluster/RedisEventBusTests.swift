#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceRedis
import Synchronization
import Testing
@testable import PaceApp

/// Two buses over a real Redis, as two instances of a cluster would be.
@Suite(.serialized)
struct RedisEventBusTests {
    final class Heard: Sendable {
        let events = Mutex<[(ChatEvent, UInt64?)]>([])
        let resyncs = Atomic<Int>(0)

        var seqs: [Int64] {
            events.withLock { $0.compactMap { ReorderWindow.key(of: $0.0) } }
        }
    }

    private func waitFor(_ condition: () -> Bool, seconds: Int = 5) -> Bool {
        for _ in 0..<(seconds * 100) {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    private func bus(_ redis: RedisServerProcess, _ heard: Heard) throws -> RedisEventBus {
        let bus = try RedisEventBus(url: RedisURL(host: "127.0.0.1", port: redis.port), hold: 5)
        bus.subscribe { event, origin in heard.events.withLock { $0.append((event, origin)) } }
        bus.install { $0.continuityLost = { heard.resyncs.add(1, ordering: .relaxed) } }
        return bus
    }

    private func message(_ seq: Int64) -> ChatEvent {
        .messageCreated(conversationID: 1, messageID: seq, seq: seq, senderID: 1, message: Array("m\(seq)".utf8))
    }

    @Test func eventsReachTheOtherInstanceOnceAndInOrder() throws {
        guard let redis = RedisServerProcess() else { return }
        let a = Heard(), b = Heard()
        let busA = try bus(redis, a), busB = try bus(redis, b)
        defer { busA.shutdown(); busB.shutdown() }
        #expect(waitFor { busA.isReady && busB.isReady })
        for seq in 1...50 { busA.publish(message(Int64(seq)), origin: seq == 1 ? 77 : nil) }
        #expect(waitFor { b.events.withLock { $0.count } == 50 })
        #expect(waitFor { a.events.withLock { $0.count } == 50 })
        usleep(50_000)
        #expect(b.seqs == Array(1...50))
        #expect(a.seqs == Array(1...50))
        // The origin session is answered only where it lives.
        #expect(a.events.withLock { $0[0].1 } == 77)
        #expect(b.events.withLock { $0[0].1 } == nil)
        #expect(a.resyncs.load(ordering: .relaxed) == 0 && b.resyncs.load(ordering: .relaxed) == 0)
    }

    @Test func relayedFramesAndRevocationsArrive() throws {
        guard let redis = RedisServerProcess() else { return }
        let a = Heard(), b = Heard()
        let busA = try bus(redis, a), busB = try bus(redis, b)
        defer { busA.shutdown(); busB.shutdown() }
        let frames = Mutex<[([UInt8], [Int64])]>([])
        let families = Mutex<[String]>([])
        busB.install { hooks in
            hooks.frames = { shared, users, _ in frames.withLock { $0.append((Array(shared[0].bytes), users)) } }
            hooks.revoke = { family in families.withLock { $0.append(family) } }
        }
        #expect(waitFor { busA.isReady && busB.isReady })
        busA.relay([SharedBytes(Array(#"{"type":"typing"}"#.utf8))], to: [3, 4], droppable: true)
        busA.relayRevocation(family: "fam-1")
        #expect(waitFor { frames.withLock { $0.count } == 1 && families.withLock { $0.count } == 1 })
        #expect(frames.withLock { $0[0].1 } == [3, 4])
        #expect(families.withLock { $0 } == ["fam-1"])
    }

    @Test func aRedisRestartMakesClientsResume() throws {
        guard let redis = RedisServerProcess() else { return }
        let a = Heard(), b = Heard()
        let busA = try bus(redis, a), busB = try bus(redis, b)
        defer { busA.shutdown(); busB.shutdown() }
        #expect(waitFor { busA.isReady && busB.isReady })
        redis.stop()
        #expect(waitFor { !busB.isReady })
        #expect(redis.start())
        #expect(waitFor({ busA.isReady && busB.isReady }, seconds: 8))
        #expect(waitFor { b.resyncs.load(ordering: .relaxed) >= 1 })
        busA.publish(message(9), origin: nil)
        #expect(waitFor { b.seqs == [9] })
    }
}

struct ClusterConfigurationTests {
    @Test func aClusterNeedsASharedSecretAndDatabase() {
        let url = "redis://127.0.0.1:6379"
        #expect(throws: ConfigurationError.self) {
            try ClusterConfiguration(environment: ["PACE_REDIS_URL": url, "PACE_DATABASE_URL": "postgres://x"])
        }
        #expect(throws: ConfigurationError.self) {
            try ClusterConfiguration(environment: ["PACE_REDIS_URL": url, "PACE_JWT_SECRET": "0123456789abcdef"])
        }
        #expect(throws: ConfigurationError.self) {
            try ClusterConfiguration(environment: ["PACE_REDIS_URL": "http://x", "PACE_JWT_SECRET": "0123456789abcdef",
                                                   "PACE_DATABASE_URL": "postgres://x"])
        }
        let ok = try? ClusterConfiguration(environment: ["PACE_REDIS_URL": url, "PACE_JWT_SECRET": "0123456789abcdef",
                                                          "PACE_DATABASE_URL": "postgres://x", "PACE_REDIS_CHANNEL": "c"])
        #expect(ok?.redis == RedisURL(host: "127.0.0.1", port: 6379))
        #expect(ok?.channel == "c")
        #expect((try? ClusterConfiguration(environment: [:]))?.redis == nil)
    }

    @Test func theGapFillCanBeTurnedOffAndTheTestKnobIsChecked() throws {
        let base = ["PACE_REDIS_URL": "redis://127.0.0.1:6379", "PACE_JWT_SECRET": "0123456789abcdef",
                    "PACE_DATABASE_URL": "postgres://x"]
        let defaults = try ClusterConfiguration(environment: base)
        #expect(defaults.options.gapFill && defaults.options.dropEvery == 0)
        let off = try ClusterConfiguration(environment: base.merging(["PACE_CLUSTER_GAP_FILL": "off",
                                                                      "PACE_CLUSTER_TEST_DROP": "5"]) { $1 })
        #expect(!off.options.gapFill && off.options.dropEvery == 5)
        #expect(throws: ConfigurationError.self) {
            try ClusterConfiguration(environment: base.merging(["PACE_CLUSTER_TEST_DROP": "-1"]) { $1 })
        }
        #expect(throws: ConfigurationError.self) {
            try ClusterConfiguration(environment: base.merging(["PACE_CLUSTER_GAP_FILL": "maybe"]) { $1 })
        }
    }
}
