import PaceStore
import Testing

@Suite struct DatabaseTests {
    private func memory() throws -> Database {
        let database = try Database(path: ":memory:")
        try database.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB)")
        return database
    }

    @Test func bindsAndReadsEveryType() throws {
        let database = try memory()
        try database.withStatement("INSERT INTO t VALUES (?1, ?2, ?3, ?4)") { statement throws(StoreError) in
            try statement.bind(Int64.min, at: 1)
            try statement.bind(2.5, at: 2)
            try statement.bind("héllo", at: 3)
            try statement.bind([0, 1, 255] as [UInt8], at: 4)
            #expect(try statement.step() == .done)
        }
        let row = try database.queryFirst("SELECT i, r, s, b FROM t") { row in
            (row.int64(0), row.double(1), row.string(2), row.bytes(3))
        }
        #expect(row?.0 == Int64.min)
        #expect(row?.1 == 2.5)
        #expect(row?.2 == "héllo")
        #expect(row?.3 == [0, 1, 255])
    }

    @Test func emptyTextAndBlobAreNotNull() throws {
        let database = try memory()
        try database.run("INSERT INTO t (s, b) VALUES (?1, ?2)", [.text(""), .blob([])])
        let types = try database.queryFirst("SELECT typeof(s), typeof(b) FROM t") { ($0.string(0), $0.string(1)) }
        #expect(types?.0 == "text")
        #expect(types?.1 == "blob")
    }

    @Test func optionalsBoolsAndIntsBind() throws {
        let database = try memory()
        let missing: String? = nil
        try database.withStatement("INSERT INTO t (i, r, s) VALUES (?1, ?2, ?3)") { statement throws(StoreError) in
            try statement.bind(true, at: 1)
            try statement.bind(missing, at: 2)
            try statement.bind(Optional("x"), at: 3)
            _ = try statement.step()
        }
        try database.run("INSERT INTO t (i, s) VALUES (?1, ?2)", [42, nil])
        let rows = try database.query("SELECT i, r, s FROM t ORDER BY rowid") { row in
            (row.bool(0), row.int(0), row.optionalInt64(1), row.optionalString(2))
        }
        #expect(rows.count == 2)
        #expect(rows[0].0 == true && rows[0].2 == nil && rows[0].3 == "x")
        #expect(rows[1].1 == 42 && rows[1].3 == nil)
    }

    @Test func cachedStatementIsReusedAndNestedUseGetsItsOwn() throws {
        let database = try memory()
        for value in 1...3 { try database.run("INSERT INTO t (i) VALUES (?1)", [.integer(Int64(value))]) }
        let sql = "SELECT i FROM t WHERE i >= ?1 ORDER BY i"
        let pairs = try database.query(sql, [1]) { outer throws(StoreError) in
            let inner = try database.query(sql, [.integer(outer.int64(0))]) { $0.int64(0) }
            return (outer.int64(0), inner.count)
        }
        #expect(pairs.map(\.0) == [1, 2, 3])
        #expect(pairs.map(\.1) == [3, 2, 1])
        var first: ObjectIdentifier?
        var second: ObjectIdentifier?
        try database.withStatement(sql) { first = ObjectIdentifier($0) }
        try database.withStatement(sql) { second = ObjectIdentifier($0) }
        #expect(first != nil && first == second)
    }

    @Test func transactionRollsBackOnErrorAndNestsAsSavepoint() throws {
        let database = try memory()
        #expect(throws: StoreError.self) {
            try database.transaction { () throws(StoreError) in
                try database.run("INSERT INTO t (i) VALUES (1)")
                try database.run("INSERT INTO nowhere VALUES (1)")
            }
        }
        #expect(try database.queryFirst("SELECT count(*) FROM t") { $0.int64(0) } == 0)
        try database.transaction { () throws(StoreError) in
            try database.run("INSERT INTO t (i) VALUES (1)")
            _ = try? database.transaction { () throws(StoreError) in
                try database.run("INSERT INTO t (i) VALUES (2)")
                throw StoreError.busy(message: "inner fails")
            }
        }
        #expect(try database.query("SELECT i FROM t") { $0.int64(0) } == [1])
        #expect(database.isAutocommit)
    }

    @Test func lastInsertRowIDAndChanges() throws {
        let database = try memory()
        try database.run("INSERT INTO t (i) VALUES (7)")
        try database.run("INSERT INTO t (i) VALUES (8)")
        #expect(database.lastInsertRowID == 2)
        try database.run("UPDATE t SET i = i + 1")
        #expect(database.changes == 2)
    }

    @Test func closedDatabaseFailsTyped() throws {
        let database = try memory()
        database.close()
        #expect(throws: StoreError.closed) { try database.execute("SELECT 1") }
    }

    @Test func syntaxErrorIsOther() throws {
        let database = try memory()
        #expect {
            try database.run("SELEC 1")
        } throws: { error in
            guard case .other(let code, let message)? = error as? StoreError else { return false }
            return code == 1 && message.contains("syntax")
        }
    }

    @Test func nextSequenceRefusedOffTheWriter() throws {
        let database = try memory()
        #expect {
            _ = try database.nextSequence()
        } throws: { error in
            if case .misuse? = error as? StoreError { return true }
            return false
        }
    }
}
