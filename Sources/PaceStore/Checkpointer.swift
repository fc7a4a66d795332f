import CSQLite
import PaceSystem
import Synchronization

/// Copies the WAL back into the database from a thread and connection of its own, so that no
/// commit ever pays for a checkpoint.
///
/// The writer runs with `wal_autocheckpoint=0`. Left to SQLite, the commit that pushes the WAL
/// past 1000 pages would copy the WAL into the database file and fsync it before returning, and
/// every write queued behind that batch (and its acknowledgement) would wait for it. Here a
/// PASSIVE checkpoint runs every `intervalMilliseconds`: it takes no lock the writer needs and
/// copies what it can; once it has caught up, the writer's next transaction starts the WAL
/// over from its beginning, so the file stays about one interval's writes long. Only if the
/// WAL still holds more than `restartFrames` after a passive pass (readers pinning old
/// snapshots) does a RESTART checkpoint wait for them, bounding the file whatever happens.
final class Checkpointer: Sendable {
    static let intervalMilliseconds: Int64 = 100
    static let restartFrames: Int32 = 262_144

    let statistics = CheckpointStatistics()
    private let wake = ConditionLock()
    /// Guarded by `wake`; the lock is what makes this mutable state safe to share.
    nonisolated(unsafe) private var stopping = false
    nonisolated(unsafe) private var thread: OSThread?

    /// Starts checkpointing `path` with a connection of its own.
    init(path: String) throws(StoreError) {
        let handoff = Handoff(try Database.open(path: path, role: .checkpointer))
        let thread = try OSThread.storeThread(name: "pace-checkpoint") { [self] in
            run(handoff.value)
        }
        wake.withLock { self.thread = thread }
    }

    /// Finishes the pass under way (if any) and ends the thread; idempotent.
    func stop() {
        let thread: OSThread? = wake.withLock {
            stopping = true
            wake.signal()
            defer { self.thread = nil }
            return self.thread
        }
        thread?.join()
    }

    private func run(_ database: Database) {
        var backfilled = 0
        while waitForNextPass() {
            let walFrames = checkpoint(database, mode: SQLITE_CHECKPOINT_PASSIVE, backfilled: &backfilled)
            if walFrames > Int(Self.restartFrames) {
                _ = checkpoint(database, mode: SQLITE_CHECKPOINT_RESTART, backfilled: &backfilled)
                statistics.restarts.add(1, ordering: .relaxed)
            }
        }
        database.close()
    }

    /// Sleeps one interval; false once `stop` was called.
    private func waitForNextPass() -> Bool {
        wake.withLock {
            let deadline = Clock.monotonicMilliseconds() + Self.intervalMilliseconds
            while !stopping && wake.wait(untilMonotonicMilliseconds: deadline) {}
            return !stopping
        }
    }

    /// One pass; returns the frames left in the WAL. `backfilled` is the WAL's checkpointed
    /// frame count after the previous pass (it falls back to 0 when the writer restarts the WAL).
    private func checkpoint(_ database: Database, mode: Int32, backfilled: inout Int) -> Int {
        let started = Clock.monotonicNanoseconds()
        guard let frames = database.checkpoint(mode: mode) else { return 0 }
        let elapsed = Int(Clock.monotonicNanoseconds() - started)
        let copied = frames.checkpointed >= backfilled ? frames.checkpointed - backfilled : frames.checkpointed
        backfilled = frames.checkpointed
        statistics.record(walFrames: frames.wal, copied: copied, nanoseconds: elapsed)
        return frames.wal
    }
}

/// The checkpointer's figures for `/metrics`.
package final class CheckpointStatistics: Sendable {
    let passes = Atomic<Int>(0)
    let nanoseconds = Atomic<Int>(0)
    let longestNanoseconds = Atomic<Int>(0)
    let framesCopied = Atomic<Int>(0)
    let walFrames = Atomic<Int>(0)
    let restarts = Atomic<Int>(0)

    func record(walFrames frames: Int, copied: Int, nanoseconds elapsed: Int) {
        passes.add(1, ordering: .relaxed)
        nanoseconds.add(elapsed, ordering: .relaxed)
        longestNanoseconds.max(elapsed, ordering: .relaxed)
        walFrames.store(frames, ordering: .relaxed)
        framesCopied.add(copied, ordering: .relaxed)
    }

    /// Prometheus text for these figures.
    package func render() -> String {
        func seconds(_ value: Int) -> String {
            let micros = value / 1000
            let fraction = String(micros % 1_000_000)
            return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
        }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("pace_store_checkpoints_total", "counter", "WAL checkpoint passes, off the commit path.",
               String(passes.load(ordering: .relaxed)))
        metric("pace_store_checkpoint_seconds_total", "counter", "Time spent in WAL checkpoints.",
               seconds(nanoseconds.load(ordering: .relaxed)))
        metric("pace_store_checkpoint_longest_seconds", "gauge", "The longest WAL checkpoint pass so far.",
               seconds(longestNanoseconds.load(ordering: .relaxed)))
        metric("pace_store_checkpoint_frames_total", "counter", "WAL frames copied into the database.",
               String(framesCopied.load(ordering: .relaxed)))
        metric("pace_store_wal_frames", "gauge", "Frames in the WAL after the last checkpoint pass.",
               String(walFrames.load(ordering: .relaxed)))
        metric("pace_store_checkpoint_restarts_total", "counter", "RESTART checkpoints forced by a WAL past its cap.",
               String(restarts.load(ordering: .relaxed)))
        return out
    }
}

extension Database {
    /// Frames in the WAL and how many of them are in the database file now.
    struct CheckpointFrames {
        let wal: Int
        let checkpointed: Int
    }

    /// Runs one checkpoint of the main database; nil when it could not run (busy, closed), in
    /// which case the next pass tries again.
    func checkpoint(mode: Int32) -> CheckpointFrames? {
        guard let connection = try? liveHandle() else { return nil }
        var wal: Int32 = 0
        var checkpointed: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(connection, nil, mode, &wal, &checkpointed)
        guard code == ResultCode.ok else { return nil }
        return CheckpointFrames(wal: Int(max(0, wal)), checkpointed: Int(max(0, checkpointed)))
    }
}
