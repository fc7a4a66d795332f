import CSQLite

/// One SQLite connection with its cache of prepared statements, and the `StoreTransaction` that
/// `SQLiteStore` work runs in. Not thread-safe: a connection belongs to one thread at a time (the
/// store's writer thread, or a reader thread).
package final class Database: StoreTransaction {
    private var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]
    /// The server-wide sequence; only the writer connection uses it (see `nextSequence`).
    var sequence = SequenceCounter()
    /// The schema's work before every COMMIT (writer connection only).
    var commitHook: (any CommitHook)?

    /// Dynamic SQL beyond this many distinct texts is prepared per use instead of cached, so a
    /// careless caller cannot grow the cache without bound.
    private static let statementCacheLimit = 512

    package init(path: String, flags: OpenFlags = .standard) throws(StoreError) {
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, flags.rawValue | SQLITE_OPEN_EXRESCODE, nil)
        guard code == ResultCode.ok, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close_v2(connection)
            throw StoreError(code: code, message: message)
        }
        handle = connection
    }

    deinit {
        close()
    }

    /// Finalizes the cached statements and closes the connection; later calls fail with `.closed`.
    package func close() {
        statements.removeAll()
        sqlite3_close_v2(handle)
        handle = nil
    }

    /// Runs a script of one or more statements, discarding any rows (migrations, pragmas).
    package func execute(_ sql: String) throws(StoreError) {
        let connection = try liveHandle()
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(connection, sql, nil, nil, &message)
        guard code != ResultCode.ok else { return }
        let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(connection))
        sqlite3_free(message)
        throw StoreError(code: sqlite3_extended_errcode(connection), message: text)
    }

    /// Lends the cached statement for `sql` (compiling it on first use) and resets it afterwards.
    package func withStatement<R>(
        _ sql: String, _ body: (Statement) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let statement = try lend(sql)
        defer {
            statement.reset()
            statement.inUse = false
        }
        return try body(statement)
    }

    /// Runs one statement with `bindings` and maps every row it returns.
    package func query<R>(
        _ sql: String, _ bindings: [SQLValue], _ map: (any StoreRow) throws(StoreError) -> R
    ) throws(StoreError) -> [R] {
        try withStatement(sql) { statement throws(StoreError) in
            try statement.bind(bindings)
            var rows: [R] = []
            while try statement.step() == .row {
                rows.append(try map(statement.row))
            }
            return rows
        }
    }

    /// Like `query`, for the first row only (or nil when there is none).
    package func queryFirst<R>(
        _ sql: String, _ bindings: [SQLValue], _ map: (any StoreRow) throws(StoreError) -> R
    ) throws(StoreError) -> R? {
        try withStatement(sql) { statement throws(StoreError) in
            try statement.bind(bindings)
            return try statement.step() == .row ? try map(statement.row) : nil
        }
    }

    /// Runs one statement that returns no rows (or whose rows do not matter).
    package func run(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) {
        try withStatement(sql) { statement throws(StoreError) in
            try statement.bind(bindings)
            while try statement.step() == .row {}
        }
    }

    /// Runs `body` atomically. Outside a transaction this is `BEGIN IMMEDIATE … COMMIT`; inside
    /// one (for example in a `SQLiteStore.write` item) it nests as a savepoint, so it composes.
    package func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let nested = !isAutocommit
        try run(nested ? "SAVEPOINT pace_nested" : "BEGIN IMMEDIATE")
        do {
            let value = try body()
            if !nested { try beforeCommit() }
            try run(nested ? "RELEASE pace_nested" : "COMMIT")
            if !nested { sequenceCommitted() }
            return value
        } catch {
            if nested {
                try? run("ROLLBACK TO pace_nested")
                try? run("RELEASE pace_nested")
            } else {
                sequenceRolledBack()
                if !isAutocommit { try? run("ROLLBACK") }
            }
            throw error
        }
    }

    package var dialect: SQLDialect { .sqlite }

    /// The rowid of the most recent successful INSERT on this connection.
    package var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    package var changes: Int {
        handle.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// True when no transaction is open; SQLite also returns here after rolling a transaction
    /// back by itself (on I/O errors or a full disk), which the writer must notice.
    package var isAutocommit: Bool {
        handle.map { sqlite3_get_autocommit($0) != 0 } ?? true
    }

    /// The raw connection, for APIs this layer does not wrap (the online backup).
    func liveHandle() throws(StoreError) -> OpaquePointer {
        guard let handle else { throw StoreError.closed }
        return handle
    }

    /// The typed error for a failed call on this connection.
    func error(_ code: Int32) -> StoreError {
        guard let handle else { return .closed }
        return StoreError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }

    private func lend(_ sql: String) throws(StoreError) -> Statement {
        if let cached = statements[sql], !cached.inUse {
            cached.inUse = true
            return cached
        }
        let statement = try prepare(sql)
        statement.inUse = true
        if statements[sql] == nil, statements.count < Self.statementCacheLimit {
            statements[sql] = statement
        }
        return statement
    }

    private func prepare(_ sql: String) throws(StoreError) -> Statement {
        let connection = try liveHandle()
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == ResultCode.ok else { throw error(code) }
        guard let prepared else {
            throw StoreError.misuse(message: "no statement in SQL: \(sql)")
        }
        return Statement(handle: prepared, database: self)
    }
}
