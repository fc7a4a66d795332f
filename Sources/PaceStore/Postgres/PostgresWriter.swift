import PaceSystem

/// The PostgreSQL writer thread's loop: group commit, as `GroupCommitWriter` does for SQLite.
///
/// Everything queued since the last batch (up to `batchLimit`) runs in ONE transaction: BEGIN,
/// lock the sequence row (see `PostgresSequence`), each item in its own SAVEPOINT (a failing
/// item rolls back only itself; a lone item needs none), write the sequence back, COMMIT. Every
/// statement is a round trip to the server, so the writer saves the ones it can (see
/// `runInSavepoints`). Completions run only after COMMIT returned, so nothing is acknowledged
/// before PostgreSQL made it durable; if the batch fails as a whole (COMMIT failed, the
/// connection broke), every item reports that failure.
///
/// While PostgreSQL is unreachable, batches fail at once with `.busy` (the API's 503 with
/// Retry-After) and the writer tries to reconnect at most every `reconnectInterval`.
struct PostgresWriter {
    static let batchLimit = 1024
    static let reconnectIntervalNanoseconds: Int64 = 250_000_000

    let connection: PostgresConnection
    let queue: WorkQueue<PendingWork>
    let completions: CompletionThread
    let statistics: StoreStatistics
    private var lastAttempt: Int64 = 0

    init(connection: PostgresConnection, queue: WorkQueue<PendingWork>, completions: CompletionThread,
         statistics: StoreStatistics) {
        self.connection = connection
        self.queue = queue
        self.completions = completions
        self.statistics = statistics
    }

    mutating func run() {
        var batch: [PendingWork] = []
        batch.reserveCapacity(Self.batchLimit)
        while queue.take(into: &batch, limit: Self.batchLimit) {
            let started = Clock.monotonicNanoseconds()
            let failure = execute(batch)
            statistics.commit.record(nanoseconds: Int(Clock.monotonicNanoseconds() - started))
            for item in batch { item.settle(overriding: failure) }
            completions.deliver(batch)
            batch.removeAll(keepingCapacity: true)
        }
        connection.close()
    }

    /// The error that sinks the whole batch, or nil when it committed (or, for a lone item that
    /// failed, rolled back with the item's own error in its result).
    private mutating func execute(_ batch: [PendingWork]) -> StoreError? {
        if let failure = ensureConnected() { return failure }
        var failure: StoreError?
        var commits = false
        do throws(StoreError) {
            try connection.begin("BEGIN")
            let stored = try connection.queryFirst("SELECT value FROM sequence WHERE id = 1 FOR UPDATE") { $0.int64(0) }
            guard let stored else { throw StoreError.corrupt(message: "the sequence row is missing") }
            connection.sequence = PostgresSequence(stored: stored)
            // A lone item needs no savepoint: if it fails, the whole transaction is its own.
            commits = batch.count == 1 ? batch[0].run(connection) : try runInSavepoints(batch)
            if commits {
                if let sequence = connection.sequence, sequence.advanced {
                    try connection.run("UPDATE sequence SET value = ?1 WHERE id = 1", [.integer(sequence.last)])
                }
                try connection.commit()
            }
        } catch {
            failure = error
        }
        connection.sequence = nil
        if !commits || failure != nil, connection.isConnected { try? connection.run("ROLLBACK") }
        return failure
    }

    /// Runs every item of `batch` in the savepoint `pace_item`, released and taken again between
    /// items in one round trip. Returns true (commit), or throws when the transaction is lost.
    private func runInSavepoints(_ batch: [PendingWork]) throws(StoreError) -> Bool {
        try connection.run("SAVEPOINT pace_item")
        var clean = true
        for item in batch {
            if !clean { try connection.execute("RELEASE pace_item; SAVEPOINT pace_item") }
            clean = try runIsolated(item)
        }
        try connection.run("RELEASE pace_item")
        return true
    }

    /// Runs one item inside the open savepoint `pace_item`. A failed item is rolled back to it,
    /// which keeps the savepoint, clean, for the next item; a successful one leaves it to be
    /// released. Returns whether the savepoint is clean; throws when the transaction is lost
    /// (the connection broke, or the savepoint could not be undone).
    private func runIsolated(_ item: PendingWork) throws(StoreError) -> Bool {
        if item.run(connection) { return false }
        guard connection.isConnected else { throw StoreError.unavailable("connection lost during the batch") }
        try connection.run("ROLLBACK TO pace_item")
        return true
    }

    /// Reconnects when the connection was lost, at most every `reconnectInterval`.
    private mutating func ensureConnected() -> StoreError? {
        guard !connection.isConnected else { return nil }
        let now = Clock.monotonicNanoseconds()
        guard now - lastAttempt >= Self.reconnectIntervalNanoseconds else { return .unavailable("reconnecting") }
        lastAttempt = now
        do {
            try connection.reconnect()
            return nil
        } catch {
            return error
        }
    }
}
