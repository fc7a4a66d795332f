import CSQLite

/// A prepared statement owned by one `Database`. Statements are cached per connection by SQL
/// text, so the hot paths compile their SQL once; `Database.withStatement` lends one out and
/// resets it afterwards.
package final class Statement {
    /// What `step()` found.
    package enum StepResult: Sendable, Equatable {
        case row, done
    }

    let handle: OpaquePointer
    private unowned let database: Database
    /// Set while lent out, so a nested use of the same SQL gets its own statement instead of
    /// resetting the one being iterated.
    var inUse = false

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The current row; meaningful after `step()` returned `.row`.
    package var row: Row { Row(handle: handle) }

    package func step() throws(StoreError) -> StepResult {
        switch sqlite3_step(handle) {
        case ResultCode.row: return .row
        case ResultCode.done: return .done
        case let code: throw database.error(code)
        }
    }

    /// Binds every value in order, starting at parameter 1.
    package func bind(_ values: [SQLValue]) throws(StoreError) {
        for (offset, value) in values.enumerated() {
            try value.bind(to: self, at: Int32(offset + 1))
        }
    }

    // Parameter indexes are 1-based, as in SQLite.

    package func bind(_ value: Int64, at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    package func bind(_ value: Double, at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    package func bindNull(at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds text. SQLite copies it (SQLITE_TRANSIENT), so the Swift string may die right after.
    package func bind(_ value: String, at index: Int32) throws(StoreError) {
        var value = value
        let code = value.withUTF8 { utf8 -> Int32 in
            // A nil base address would bind NULL; the empty string must stay text.
            guard let base = utf8.baseAddress else {
                return sqlite3_bind_text64(handle, index, "", 0, transientDestructor, UInt8(SQLITE_UTF8))
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { text in
                sqlite3_bind_text64(handle, index, text, UInt64(utf8.count), transientDestructor,
                                    UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    /// Binds a blob, copied by SQLite. An empty array binds an empty blob, not NULL.
    package func bind(_ value: [UInt8], at index: Int32) throws(StoreError) {
        let code = value.withUnsafeBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return sqlite3_bind_blob64(handle, index, base, UInt64(bytes.count), transientDestructor)
        }
        try check(code)
    }

    package func bind(_ value: Int, at index: Int32) throws(StoreError) {
        try bind(Int64(value), at: index)
    }

    package func bind(_ value: Bool, at index: Int32) throws(StoreError) {
        try bind(Int64(value ? 1 : 0), at: index)
    }

    /// Binds any bindable value, `nil` as NULL.
    package func bind<Value: SQLBindable>(_ value: Value?, at index: Int32) throws(StoreError) {
        try value.bind(to: self, at: index)
    }

    /// Makes the statement ready for another run and drops its bindings.
    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func check(_ code: Int32) throws(StoreError) {
        if code != ResultCode.ok { throw database.error(code) }
    }
}

/// SQLITE_TRANSIENT: the macro `((sqlite3_destructor_type)-1)` is not imported into Swift.
private var transientDestructor: sqlite3_destructor_type {
    unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
}

