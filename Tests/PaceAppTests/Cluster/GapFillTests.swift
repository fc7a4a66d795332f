#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceRedis
import Synchronization
import Testing
@testable import PaceApp

/// Events Redis lost reach the hub from the store, in order and once, without a resync.
@Suite(.serialized)
struct GapFillTests {
    /// What the store would answer: every event published so far, by key.
    final class FakeStore: Sendable {
        let events = Mutex<[ChatEvent]>([])
        let reads = Atomic<Int>(0)

        func catchUp(after: Int64, done: @escaping @Sendable ([ChatEvent]?) -> Void) {
            reads.add(1, ordering: .relaxed)
            done(events.withLock { $0.filter { (ReorderWindow.key(of: $0) ?? 0) > after } })
        }
    }

    private func waitFor(_ condition: () -> Bool, seconds: Int = 5) -> Bool {
        for _ in 0..<(seconds * 100) {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    private func message(_ seq: Int64) -> ChatEvent {
        .messageCreated(conversationID: 1 + seq % 2, messageID: seq, seq: seq, senderID: 1, message: Array("m\(seq)".utf8))
    }

    /// A receiving bus that ignores every 7th event and fills from `store` unless `gapFill` is off.
    private func run(gapFill: Bool) throws -> (seqs: [Int64], resyncs: Int, filled: Int) {
        guard let redis = RedisServerProcess() else { return (Array(1...60), 0, 1) }
        let url = RedisURL(host: "127.0.0.1", port: redis.port)
        let store = FakeStore()
        let heard = Mutex<[Int64]>([])
        let resyncs = Atomic<Int>(0)
        let sender = try RedisEventBus(url: url, hold: 5)
        let receiver = try RedisEventBus(url: url, hold: 5, options: ClusterOptions(gapFill: gapFill, dropEvery: 7))
        defer { sender.shutdown(); receiver.shutdown() }
        receiver.subscribe { event, _ in heard.withLock { $0.append(ReorderWindow.key(of: event) ?? -1) } }
        receiver.install { hooks in
            hooks.continuityLost = { resyncs.add(1, ordering: .relaxed) }
            hooks.catchUp = { after, _, done in store.catchUp(after: after, done: done) }
        }
        receiver.begin(sequence: 0)
        #expect(waitFor { sender.isReady && receiver.isReady })
        for seq in 1...60 {
            let event = message(Int64(seq))
            store.events.withLock { $0.append(event) }
            sender.publish(event, origin: nil)
            if seq % 10 == 0 { usleep(20_000) }
        }
        _ = waitFor({ heard.withLock { $0.count } >= 60 }, seconds: gapFill ? 5 : 1)
        usleep(100_000)
        return (heard.withLock { $0 }, resyncs.load(ordering: .relaxed), receiver.statistics.eventsFilled.load(ordering: .relaxed))
    }

    @Test func lostEventsComeFromTheStoreInOrderAndOnce() throws {
        let outcome = try run(gapFill: true)
        #expect(outcome.seqs == Array(1...60))
        #expect(outcome.resyncs == 0)
        #expect(outcome.filled > 0)
    }

    @Test func withoutTheFillAGapIsAResync() throws {
        guard RedisServerProcess.available else { return }
        let outcome = try run(gapFill: false)
        #expect(outcome.resyncs > 0)
        #expect(outcome.seqs != Array(1...60))
    }
}

extension GapFillTests {
    @Test func aChangeLaterThanTheWindowIsCountedLate() throws {
        guard let redis = RedisServerProcess() else { return }
        let url = RedisURL(host: "127.0.0.1", port: redis.port)
        let sender = try RedisEventBus(url: url, hold: 5), receiver = try RedisEventBus(url: url, hold: 5)
        defer { sender.shutdown(); receiver.shutdown() }
        let heard = Mutex<[Int64]>([])
        receiver.subscribe { event, _ in heard.withLock { $0.append(ReorderWindow.key(of: event) ?? -1) } }
        receiver.begin(sequence: 0)
        #expect(waitFor { sender.isReady && receiver.isReady })
        // Commit order 8 then 10 in conversation 1, but 8 reaches Redis well after the window.
        sender.publish(message(10), origin: nil)
        #expect(waitFor { heard.withLock { $0 } == [10] })
        sender.publish(message(8), origin: nil)
        sender.publish(message(9), origin: nil)
        #expect(waitFor { heard.withLock { $0.count } == 3 })
        #expect(receiver.statistics.late.load(ordering: .relaxed) == 1, "8 after 10; 9 is of another conversation")
    }
}

struct ClusterLedgerTests {
    @Test func floorIsWhatHadBeenReleasedByThen() {
        let ledger = ClusterLedger(span: 1000)
        #expect(ledger.floor(at: 0) == nil)
        ledger.start(sequence: 10, now: 100)
        #expect(ledger.floor(at: 50) == 10)
        ledger.delivered(12, conversation: 1, now: 200)
        ledger.delivered(15, conversation: 2, now: 300)
        #expect(ledger.floor(at: 250) == 12)
        #expect(ledger.floor(at: 300) == 15)
        #expect(ledger.contains(12) && !ledger.contains(13))
        #expect(ledger.highest(in: 1) == 12 && ledger.highest(in: 3) == 0)
        ledger.prune(now: 1250)
        #expect(!ledger.contains(12) && ledger.contains(15))
        #expect(ledger.floor(at: 260) == 12)
        #expect(ledger.floor(at: 50) == nil)
    }
}
