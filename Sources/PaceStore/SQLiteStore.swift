import PaceSystem
import Glibc

/// The SQLite `Store`: `<directory>/pace.sqlite`, migrated at open, written by ONE connection on
/// a dedicated thread with group commit, read by a small pool of reader threads.
///
/// All stored properties are immutable and Sendable, so the store is shared freely between
/// threads; the connections themselves never leave the threads that own them.
package final class SQLiteStore: Store {
    package static let fileName = "pace.sqlite"

    /// Full path of the database file.
    package let path: String
    private let writes = WorkQueue<PendingWork>()
    private let writer: OSThread
    private let completions: CompletionThread
    private let readers: ReaderPool
    /// The connection behind `readNow` and `backup`, serialised by its lock.
    private let inline: LockedDatabase
    private let checkpointer: Checkpointer
    /// Commit, upkeep and checkpoint figures for `/metrics`.
    package let statistics = StoreStatistics()
    private let closing = ConditionLock()
    /// Guarded by `closing`; the lock is what makes this mutable state safe to share.
    nonisolated(unsafe) private var closed = false

    /// Opens (creating if needed) the database in `directory`, which must exist, applies
    /// `migrations`, and starts the writer and `readerCount` reader threads. `commitHook` is the
    /// schema's work before every COMMIT.
    package init(
        directory: String,
        migrations: [Migrator.Migration] = embeddedMigrations,
        commitHook: (any CommitHook)? = nil,
        readerCount: Int = 2
    ) throws(StoreError) {
        path = directory.hasSuffix("/") ? directory + Self.fileName : directory + "/" + Self.fileName
        let writerDatabase = try Database.open(path: path, role: .writer)
        try Migrator.migrate(writerDatabase, migrations: migrations)
        writerDatabase.commitHook = commitHook
        // An empty transaction runs the commit hook: it catches up on rows other tools committed.
        try writerDatabase.transaction {}
        var readerDatabases: [Database] = []
        for _ in 0..<max(1, readerCount) {
            readerDatabases.append(try Database.open(path: path, role: .reader))
        }
        inline = LockedDatabase(try Database.open(path: path, role: .reader))
        readers = try ReaderPool(connections: readerDatabases)
        do {
            checkpointer = try Checkpointer(path: path, statistics: statistics)
        } catch {
            readers.close()
            throw error
        }
        do {
            completions = try CompletionThread()
        } catch {
            checkpointer.stop()
            readers.close()
            throw error
        }
        let handoff = Handoff(GroupCommitWriter(database: writerDatabase, queue: writes,
                                                completions: completions, statistics: statistics))
        do {
            writer = try OSThread.storeThread(name: "pace-writer") {
                var loop = handoff.value
                loop.run()
            }
        } catch {
            completions.close()
            checkpointer.stop()
            readers.close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Queues `work` for the writer. It runs inside the next group-commit batch, in its own
    /// savepoint; `completion` gets its result only after the batch is durably committed (or
    /// the failure). Completions run in commit order on a store thread (the writer's or the
    /// completion thread): keep them short and never wait on another write from one.
    package func write<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    ) {
        writes.submit(work, completion: completion)
    }

    /// Runs `work` on a reader thread in a read transaction (one consistent snapshot) and passes
    /// its result to `completion` on that thread.
    package func read<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    ) {
        readers.queue.submit(work, completion: completion)
    }

    /// Runs `work` on the calling thread over a dedicated reader connection, in one read
    /// transaction. For tests, the CLI and startup code; request paths use `read`.
    package func readNow<T>(_ work: (any StoreTransaction) throws(StoreError) -> T) throws(StoreError) -> T {
        try inline.withDatabase { database throws(StoreError) in
            try database.run("BEGIN")
            defer { if !database.isAutocommit { try? database.run("ROLLBACK") } }
            return try work(database)
        }
    }

    /// Queues `work` like `write` and blocks until it is durable. For tests, the CLI and startup
    /// code. From a write completion it fails with `.misuse`: it would wait for the very thread
    /// it blocks.
    @discardableResult
    package func writeNow<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try waitForWrite(self, onStoreThread: writer.isCurrent || completions.isCurrent, work)
    }

    /// Writes a consistent copy of the database to `destination` (replacing its content) with
    /// SQLite's online backup, while reads and writes go on.
    package func backup(to destination: String) throws(StoreError) {
        try inline.withDatabase { database throws(StoreError) in
            try database.backup(to: destination)
        }
    }

    /// Stops accepting work, lets everything already queued finish (writes commit, completions
    /// run), and joins the threads. Safe to call more than once and from several threads, but
    /// not from a completion (it would wait for its own thread).
    package func renderMetrics() -> String {
        statistics.render()
    }

    package func close() {
        closing.lock()
        defer { closing.unlock() }
        guard !closed else { return }
        closed = true
        writes.close()
        writer.join()
        completions.close()
        checkpointer.stop()
        readers.close()
        inline.close()
    }
}
