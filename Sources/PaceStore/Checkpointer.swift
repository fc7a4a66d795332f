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
    static let restartFrames = 262_144

    private let statistics: StoreStatistics
    private let wake = ConditionLock()
    // Both guarded by `wake`; the lock is what makes this mutable state safe to share.
    nonisolated(unsafe) private var stopping = false
    nonisolated(unsafe) private var thread: OSThread?

    /// Starts checkpointing `path` with a connection of its own.
    init(path: String, statistics: StoreStatistics) throws(StoreError) {
        self.statistics = statistics
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
            if walFrames > Self.restartFrames {
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
        statistics.checkpoint.record(nanoseconds: elapsed)
        statistics.walFrames.store(frames.wal, ordering: .relaxed)
        statistics.framesCopied.add(copied, ordering: .relaxed)
        return frames.wal
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
