/// The open transaction one unit of store work runs in: what the chat repository needs from a
/// database connection, and nothing engine-specific.
///
/// Contract: statements are SQL text with positional `?N` parameters bound from `bindings`
/// (never built by concatenation); rows are read by 0-based column index and are valid only
/// inside `map`. In `Store.write` work everything commits or rolls back together; in
/// `Store.read` work every statement sees the same snapshot.
package protocol StoreTransaction: AnyObject {
    /// Runs one statement, discarding any rows.
    func run(_ sql: String, _ bindings: [SQLValue]) throws(StoreError)

    /// Runs one statement and maps every row.
    func query<R>(
        _ sql: String, _ bindings: [SQLValue], _ map: (any StoreRow) throws(StoreError) -> R
    ) throws(StoreError) -> [R]

    /// Runs one statement and maps its first row, nil when there is none.
    func queryFirst<R>(
        _ sql: String, _ bindings: [SQLValue], _ map: (any StoreRow) throws(StoreError) -> R
    ) throws(StoreError) -> R?

    /// The next value of the server-wide sequence (message `seq`, change `version`). Write
    /// work only; values only grow and are never handed out twice, gaps allowed.
    func nextSequence() throws(StoreError) -> Int64

    /// Rows changed by the last INSERT, UPDATE or DELETE. (New ids come from `RETURNING id`,
    /// which both engines run alike.)
    var changes: Int { get }

    /// The SQL dialect behind this transaction, for the few statements that cannot be written
    /// the same way for every engine (full-text search).
    var dialect: SQLDialect { get }
}

/// The engines `StoreTransaction` runs on. Service SQL is written once, in the subset both
/// understand; only where that is impossible does a query look at the dialect.
package enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

extension StoreTransaction {
    package func run(_ sql: String) throws(StoreError) {
        try run(sql, [])
    }

    package func query<R>(_ sql: String, _ map: (any StoreRow) throws(StoreError) -> R) throws(StoreError) -> [R] {
        try query(sql, [], map)
    }

    package func queryFirst<R>(_ sql: String, _ map: (any StoreRow) throws(StoreError) -> R) throws(StoreError) -> R? {
        try queryFirst(sql, [], map)
    }
}

/// One result row, by 0-based column index. NULL reads as 0, "" or [] from the plain accessors.
package protocol StoreRow {
    func isNull(_ column: Int32) -> Bool
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func string(_ column: Int32) -> String
    func bytes(_ column: Int32) -> [UInt8]
}

extension StoreRow {
    package func int(_ column: Int32) -> Int {
        Int(truncatingIfNeeded: int64(column))
    }

    package func bool(_ column: Int32) -> Bool {
        int64(column) != 0
    }

    package func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    package func optionalString(_ column: Int32) -> String? {
        isNull(column) ? nil : string(column)
    }
}
