import PaceSystem
import Glibc
import PaceApp
import PaceStore
import Testing

/// Durable insert throughput through the group-commit writer, and the lone writer's commit
/// latency. Skipped unless PACE_BENCH=1 (see bench/store/run.sh); run it in release mode.
@Suite(.serialized, .enabled(if: getenv("PACE_BENCH").map { String(cString: $0) } == "1"))
struct StoreBenchmark {
    static let seconds = 5

    @Test(arguments: [1, 16, 256])
    func sustainedDurableInserts(writers: Int) throws {
        let (store, directory) = try Self.openStore()
        defer {
            store.close()
            directory.remove()
        }
        try Fixture.seed(store)
        let deadline = ContinuousClock.now + .seconds(Self.seconds)
        let results = BenchResults()
        var threads: [OSThread] = []
        for _ in 0..<writers {
            threads.append(try OSThread(name: "bench-writer") {
                results.add(Self.writeUntil(deadline, store: store, measureLatency: writers == 1))
            })
        }
        let start = ContinuousClock.now
        for thread in threads { thread.join() }
        let elapsed = ContinuousClock.now - start
        let summary = results.summary
        let perSecond = Double(summary.inserts) / Self.seconds(elapsed)
        print("store bench: \(writers) writers: \(Int(perSecond)) durable inserts/s "
              + "(\(summary.inserts) in \(elapsed))" + summary.latencyText)
        #expect(summary.failures == 0)
        #expect(try Fixture.count(store, "SELECT count(*) FROM messages") == Int64(summary.inserts))
    }

    /// The writer's own capacity, without the cost of waking a thread per write: one thread
    /// queues `count` inserts without waiting.
    @Test func floodCapacity() throws {
        let count = 300_000
        let (store, directory) = try Self.openStore()
        defer {
            store.close()
            directory.remove()
        }
        try Fixture.seed(store)
        let start = ContinuousClock.now
        for _ in 0..<count {
            store.write({ database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "a benchmark message body").seq
            }) { _ in }
        }
        // Completions come in commit order, so this one arrives after all the others.
        try store.writeNow { _ in () }
        let elapsed = ContinuousClock.now - start
        let perSecond = Int(Double(count) / Self.seconds(elapsed))
        print("store bench: flood from one thread: \(perSecond) durable inserts/s (\(count) in \(elapsed))")
        #expect(try Fixture.count(store, "SELECT count(*) FROM messages") == Int64(count))
    }

    /// One writer thread: send, wait for the durable acknowledgement, repeat until `deadline`.
    private static func writeUntil(
        _ deadline: ContinuousClock.Instant, store: any Store, measureLatency: Bool
    ) -> WriterTally {
        var tally = WriterTally()
        let waiter = Waiter()
        while ContinuousClock.now < deadline {
            let sent = ContinuousClock.now
            store.write({ database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "a benchmark message body").seq
            }) { result in waiter.signal(success: result.isSuccess) }
            if waiter.wait() { tally.inserts += 1 } else { tally.failures += 1 }
            if measureLatency { tally.latencies.append(ContinuousClock.now - sent) }
        }
        return tally
    }

    /// SQLite in a temporary directory, or PostgreSQL in a fresh schema when
    /// `PACE_TEST_DATABASE_URL` is set (bench/store/run.sh postgres).
    private static func openStore() throws -> (any Store, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        if let configuration = try PostgresFixture.freshConfiguration() {
            return (try ChatStore.openPostgres(configuration), directory)
        }
        return (try SQLiteStore(directory: directory.path), directory)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

struct WriterTally: Sendable {
    var inserts = 0
    var failures = 0
    var latencies: [Duration] = []
}

/// Gathers the writer threads' tallies.
final class BenchResults: @unchecked Sendable {
    private let lock = ConditionLock()
    private var tallies: [WriterTally] = []

    func add(_ tally: WriterTally) { lock.withLock { tallies.append(tally) } }

    var summary: (inserts: Int, failures: Int, latencyText: String) {
        lock.withLock {
            let latencies = tallies.flatMap(\.latencies).sorted()
            var text = ""
            if !latencies.isEmpty {
                let p50 = latencies[latencies.count / 2]
                let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
                text = "; commit latency p50 \(Self.milliseconds(p50)) ms, p99 \(Self.milliseconds(p99)) ms"
            }
            return (tallies.reduce(0) { $0 + $1.inserts }, tallies.reduce(0) { $0 + $1.failures }, text)
        }
    }

    /// Milliseconds with microsecond resolution, e.g. "0.215".
    private static func milliseconds(_ duration: Duration) -> String {
        "\(Double(Int(StoreBenchmark.seconds(duration) * 1_000_000)) / 1000)"
    }
}

/// A reusable one-slot handshake between a completion and the thread waiting for it.
final class Waiter: @unchecked Sendable {
    private let lock = ConditionLock()
    private var outcome: Bool?

    func signal(success: Bool) {
        lock.withLock { outcome = success }
        lock.signal()
    }

    /// Blocks for the next signal and consumes it.
    func wait() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let result = outcome {
                outcome = nil
                return result
            }
            lock.wait()
        }
    }
}
