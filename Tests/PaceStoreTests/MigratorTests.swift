import PaceStore
import Testing

@Suite struct MigratorTests {
    static let first: Migrator.Migration = (name: "0001_a.sql", sql: "CREATE TABLE a (x INTEGER) STRICT;")
    static let second: Migrator.Migration = (name: "0002_b.sql", sql: "CREATE TABLE b (y TEXT) STRICT;")

    private func applied(_ store: SQLiteStore) throws -> [String] {
        try store.readNow { database throws(StoreError) in
            try database.query("SELECT name FROM schema_migrations ORDER BY name") { $0.string(0) }
        }
    }

    @Test func embeddedMigrationsApplyFromEmpty() throws {
        try withStore { store, _ in
            #expect(try applied(store) == Migrator.embedded.map(\.name))
            let tables = try store.readNow { database throws(StoreError) in
                try database.query("SELECT name FROM sqlite_schema WHERE type = 'table'") { $0.string(0) }
            }
            for table in ["users", "refresh_tokens", "conversations", "members", "messages", "uploads",
                          "message_attachments", "reactions", "messages_fts", "sequence"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
        }
    }

    @Test func reopeningAppliesNothingAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let before = try store.readNow { database throws(StoreError) in
            try database.query("SELECT name, applied_at FROM schema_migrations") { "\($0.string(0))@\($0.int64(1))" }
        }
        store.close()
        let database = try Database(path: directory.file(SQLiteStore.fileName))
        #expect(try Migrator.migrate(database).isEmpty)
        let after = try database.query("SELECT name, applied_at FROM schema_migrations") {
            "\($0.string(0))@\($0.int64(1))"
        }
        #expect(before == after)
    }

    /// Every prefix of the embedded list is an "earlier version"; upgrading from each must work.
    @Test(arguments: 0...Migrator.embedded.count)
    func upgradesFromEveryEarlierEmbeddedVersion(prefix: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try Database(path: directory.file(SQLiteStore.fileName))
        try Migrator.migrate(database, migrations: Array(Migrator.embedded.prefix(prefix)))
        let rest = try Migrator.migrate(database)
        #expect(rest == Migrator.embedded.dropFirst(prefix).map(\.name))
    }

    @Test func upgradesFromOneToTwoKeepingData() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let old = try SQLiteStore(directory: directory.path, migrations: [Self.first])
        try old.writeNow { database throws(StoreError) in try database.run("INSERT INTO a VALUES (5)") }
        old.close()
        let new = try SQLiteStore(directory: directory.path, migrations: [Self.first, Self.second])
        defer { new.close() }
        #expect(try applied(new) == ["0001_a.sql", "0002_b.sql"])
        #expect(try Fixture.count(new, "SELECT x FROM a") == 5)
        #expect(try Fixture.count(new, "SELECT count(*) FROM b") == 0)
    }

    @Test func editedMigrationStopsTheOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SQLiteStore(directory: directory.path, migrations: [Self.first]).close()
        let edited: Migrator.Migration = (name: Self.first.name, sql: Self.first.sql + " ")
        #expect(throws: StoreError.migrationChanged(name: "0001_a.sql")) {
            try SQLiteStore(directory: directory.path, migrations: [edited])
        }
    }

    @Test func migrationFromANewerBinaryStopsTheOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SQLiteStore(directory: directory.path, migrations: [Self.first, Self.second]).close()
        #expect(throws: StoreError.unknownMigration(name: "0002_b.sql")) {
            try SQLiteStore(directory: directory.path, migrations: [Self.first])
        }
    }

    @Test func failingMigrationLeavesNoTrace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let broken: Migrator.Migration = (name: "0002_bad.sql", sql: "CREATE TABLE c (z INTEGER); SELEC 1;")
        #expect(throws: StoreError.self) {
            try SQLiteStore(directory: directory.path, migrations: [Self.first, broken])
        }
        let database = try Database(path: directory.file(SQLiteStore.fileName))
        #expect(try database.query("SELECT name FROM schema_migrations") { $0.string(0) } == ["0001_a.sql"])
        #expect(try database.query("SELECT name FROM sqlite_schema WHERE name = 'c'") { $0.string(0) }.isEmpty)
    }
}
