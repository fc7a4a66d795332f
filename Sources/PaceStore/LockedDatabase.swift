import PaceSystem
/// A connection shared by callers on arbitrary threads, one at a time.
///
/// `@unchecked Sendable`: `database` is only touched with `lock` held.
final class LockedDatabase: @unchecked Sendable {
    private let lock = ConditionLock()
    private let database: Database

    init(_ database: Database) {
        self.database = database
    }

    func withDatabase<T>(_ body: (Database) throws(StoreError) -> T) throws(StoreError) -> T {
        try lock.withLock { () throws(StoreError) -> T in try body(database) }
    }

    func close() {
        lock.withLock { database.close() }
    }
}
