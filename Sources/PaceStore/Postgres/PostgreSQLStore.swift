import PaceSystem

/// The PostgreSQL `Store`: the same contract as `SQLiteStore` over libpq. One writer connection
/// on its own thread does group commit (`PostgresWriter`), a pool of reader threads serves
/// snapshot reads (`PostgresReaderPool`), and a locked connection serves `readNow`. Migrations
/// from `migrations/postgres/` are applied at open under an advisory lock. Several Pace instances
/// may share one database: the sequence row serialises their batches (see `PostgresSequence`).
///
/// One difference from SQLite that work must respect: a failed statement aborts PostgreSQL's
/// transaction, so work that catches a `StoreError` and carries on fails as a whole (it is rolled
/// back to its savepoint and never acknowledged).
///
/// All stored properties are immutable and Sendable; connections never leave their threads.
package final class PostgreSQLStore: Store {
    package let configuration: PostgresConfiguration
    private let writes = WorkQueue<PendingWork>()
    private let writer: OSThread
    private let completions: CompletionThread
    private let readers: PostgresReaderPool
    private let inline: LockedPostgresConnection
    package let statistics = StoreStatistics()
    private let closing = ConditionLock()
    /// Guarded by `closing`.
    nonisolated(unsafe) private var closed = false

    /// Connects, migrates, and starts the threads. PostgreSQL unreachable is `.busy` with
    /// libpq's reason; `sequenceFloor` (the schema's highest stored sequence value) raises the
    /// sequence row if rows were imported behind its back.
    package init(
        configuration: PostgresConfiguration,
        migrations: [Migrator.Migration] = embeddedPostgresMigrations,
        commitHook: (any CommitHook)? = nil
    ) throws(StoreError) {
        self.configuration = configuration
        let writerConnection = try PostgresConnection(configuration: configuration)
        try PostgresMigrator.migrate(writerConnection, migrations: migrations)
        if let commitHook { try Self.raiseSequence(writerConnection, to: commitHook) }
        var readerConnections: [PostgresConnection] = []
        for _ in 0..<max(1, configuration.readerCount) {
            readerConnections.append(try PostgresConnection(configuration: configuration))
        }
        inline = LockedPostgresConnection(try PostgresConnection(configuration: configuration))
        readers = try PostgresReaderPool(connections: readerConnections)
        do {
            completions = try CompletionThread()
        } catch {
            readers.close()
            throw error
        }
        let handoff = Handoff(PostgresWriter(connection: writerConnection, queue: writes, completions: completions,
                                             statistics: statistics))
        do {
            writer = try OSThread.storeThread(name: "pace-pg-writer") {
                var loop = handoff.value
                loop.run()
            }
        } catch {
            completions.close()
            readers.close()
            throw error
        }
    }

    deinit {
        close()
    }

    package func write<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    ) {
        writes.submit(work, completion: completion)
    }

    package func read<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    ) {
        readers.queue.submit(work, completion: completion)
    }

    package func readNow<T>(_ work: (any StoreTransaction) throws(StoreError) -> T) throws(StoreError) -> T {
        try inline.withConnection { connection throws(StoreError) in
            if !connection.isConnected { try connection.reconnect() }
            try connection.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { if connection.isConnected { try? connection.run("ROLLBACK") } }
            return try work(connection)
        }
    }

    @discardableResult
    package func writeNow<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try waitForWrite(self, onStoreThread: writer.isCurrent || completions.isCurrent, work)
    }

    package func renderMetrics() -> String {
        statistics.commit.render()
    }

    package func close() {
        closing.lock()
        defer { closing.unlock() }
        guard !closed else { return }
        closed = true
        writes.close()
        writer.join()
        completions.close()
        readers.close()
        inline.close()
    }

    private static func raiseSequence(_ connection: PostgresConnection, to hook: any CommitHook) throws(StoreError) {
        try connection.run("BEGIN")
        do {
            let floor = try hook.sequenceFloor(connection)
            try connection.run("UPDATE sequence SET value = ?1 WHERE id = 1 AND value < ?1", [.integer(floor)])
            try connection.run("COMMIT")
        } catch {
            if connection.isConnected { try? connection.run("ROLLBACK") }
            throw error
        }
    }
}

/// A PostgreSQL connection shared by callers on arbitrary threads, one at a time.
///
/// `@unchecked Sendable`: `connection` is only touched with `lock` held.
final class LockedPostgresConnection: @unchecked Sendable {
    private let lock = ConditionLock()
    private let connection: PostgresConnection

    init(_ connection: PostgresConnection) {
        self.connection = connection
    }

    func withConnection<T>(_ body: (PostgresConnection) throws(StoreError) -> T) throws(StoreError) -> T {
        try lock.withLock { () throws(StoreError) -> T in try body(connection) }
    }

    func close() {
        lock.withLock { connection.close() }
    }
}
