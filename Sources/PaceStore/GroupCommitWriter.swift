import PaceSystem
/// The writer thread's loop: group commit over the one writer connection.
///
/// Everything queued since the last batch (from any thread, up to `batchLimit`) runs in ONE
/// `BEGIN IMMEDIATE … COMMIT`, so a batch pays one WAL fsync however many writes it carries. Each
/// item runs inside its own SAVEPOINT: a failing item rolls back only itself and gets its own
/// error, its neighbours still commit. Completions run only after COMMIT returned, so nothing is
/// acknowledged before it is durable; if COMMIT fails, every success in the batch is reported as
/// that failure.
///
/// The schema's commit hook may do bulk upkeep that is costly in small pieces (for chat,
/// full-text indexing: FTS5 writes and merges an index segment per transaction), so a batch lets
/// it defer that unless no write is waiting (a quiet moment: a lone client's message is
/// searchable as soon as it is acknowledged) or `deferredUpkeepLimit` writes have gone by (under
/// sustained load the upkeep trails by at most about that many writes).
///
/// Completions run in commit order, on the writer or the store's completion thread (see
/// `CompletionThread`): they should be quick (hand the result to an event loop), since every
/// later completion, and possibly the next batch, waits behind them.
struct GroupCommitWriter {
    /// Bounds a batch so a flood of writes cannot starve the completions of the earliest ones.
    static let batchLimit = 2048
    /// Writes after which deferred upkeep runs even if more writes are waiting.
    static let deferredUpkeepLimit = 4096

    let database: Database
    let queue: WorkQueue<PendingWork>
    /// Where settled items go to have their completions called.
    let completions: CompletionThread
    let statistics: StoreStatistics
    /// Writes committed since the upkeep last ran.
    private var writesSinceDrain = 0

    init(database: Database, queue: WorkQueue<PendingWork>, completions: CompletionThread,
         statistics: StoreStatistics) {
        self.database = database
        self.queue = queue
        self.completions = completions
        self.statistics = statistics
    }

    /// Runs batches until the queue is closed and drained, then closes the connection.
    mutating func run() {
        var batch: [PendingWork] = []
        batch.reserveCapacity(Self.batchLimit)
        while queue.take(into: &batch, limit: Self.batchLimit) {
            commit(batch)
            batch.removeAll(keepingCapacity: true)
        }
        // A last empty transaction runs the commit hook undeferred, so its upkeep is complete
        // on disk; if it fails, the next open catches up.
        _ = try? database.transaction {}
        database.close()
    }

    private mutating func commit(_ batch: [PendingWork]) {
        let started = Clock.monotonicNanoseconds()
        let failure = execute(batch)
        statistics.commit.record(nanoseconds: Int(Clock.monotonicNanoseconds() - started))
        settle(batch, overriding: failure)
    }

    /// BEGIN, every item in its savepoint, upkeep, COMMIT; the error that sinks the whole batch.
    private mutating func execute(_ batch: [PendingWork]) -> StoreError? {
        do {
            try database.run("BEGIN IMMEDIATE")
        } catch {
            return error
        }
        var failure: StoreError?
        for item in batch where failure == nil {
            failure = runIsolated(item)
        }
        writesSinceDrain += batch.count
        let drain = writesSinceDrain >= Self.deferredUpkeepLimit || queue.isEmpty
        if failure == nil { failure = finish(deferring: !drain) }
        if failure == nil && drain { writesSinceDrain = 0 }
        if failure != nil, !database.isAutocommit { try? database.run("ROLLBACK") }
        if failure != nil { database.sequenceRolledBack() } else { database.sequenceCommitted() }
        return failure
    }

    /// Fixes every item's outcome and has the completions called.
    private func settle(_ batch: [PendingWork], overriding failure: StoreError?) {
        for item in batch { item.settle(overriding: failure) }
        completions.deliver(batch)
    }

    /// Runs one item in its own savepoint. Returns an error only when the whole transaction is
    /// lost: SQLite rolled it back by itself (I/O error, full disk) or the savepoint could not be
    /// undone; then nothing in the batch may be reported as written.
    private func runIsolated(_ item: PendingWork) -> StoreError? {
        do {
            try database.run("SAVEPOINT pace_item")
        } catch {
            return error
        }
        if item.run(database) {
            do {
                try database.run("RELEASE pace_item")
                return nil
            } catch {
                return error
            }
        }
        if database.isAutocommit {
            return .io(message: "SQLite rolled back the batch's transaction after a failed write")
        }
        do {
            try database.run("ROLLBACK TO pace_item")
            try database.run("RELEASE pace_item")
            return nil
        } catch {
            return error
        }
    }

    private func finish(deferring: Bool) -> StoreError? {
        do {
            let started = Clock.monotonicNanoseconds()
            try database.beforeCommit(deferrable: deferring)
            if !deferring { statistics.upkeep.record(nanoseconds: Int(Clock.monotonicNanoseconds() - started)) }
            try database.run("COMMIT")
            return nil
        } catch {
            return error
        }
    }
}
