/// Brings a database's schema up to date from an ordered list of migrations.
///
/// Each migration runs in its own transaction together with its row in `schema_migrations`, so a
/// failing migration leaves no trace and the next open retries it. Applied migrations are
/// fingerprinted: an edited file, or a database that records a migration this binary lacks (it
/// was opened by a newer build), stops the open with a clear error instead of running on a schema
/// the code does not expect.
package enum Migrator {
    /// A migration as embedded in the binary: its file name (the sort key) and its SQL.
    package typealias Migration = (name: String, sql: String)

    /// The migrations built into this binary from `migrations/*.sql`, sorted by file name.
    package static var embedded: [Migration] { embeddedMigrations }

    /// The PostgreSQL migrations built in from `migrations/postgres/*.sql`, sorted by file name.
    package static var embeddedPostgres: [Migration] { embeddedPostgresMigrations }

    /// Applies what is missing from `migrations`, in the given order; returns the names applied.
    @discardableResult
    package static func migrate(
        _ database: Database, migrations: [Migration] = embeddedMigrations
    ) throws(StoreError) -> [String] {
        try database.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name       TEXT PRIMARY KEY,
                checksum   TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT
            """)
        let applied = try appliedChecksums(database)
        try verify(applied: applied, against: migrations)
        var names: [String] = []
        for migration in migrations where applied[migration.name] == nil {
            try apply(migration, to: database)
            names.append(migration.name)
        }
        return names
    }

    /// The fingerprint stored for a migration's SQL.
    package static func checksum(of migration: Migration) -> String {
        Fingerprint.hex(of: migration.sql)
    }

    private static func appliedChecksums(_ database: Database) throws(StoreError) -> [String: String] {
        let rows = try database.query("SELECT name, checksum FROM schema_migrations") { row in
            (row.string(0), row.string(1))
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    static func verify(applied: [String: String], against migrations: [Migration]) throws(StoreError) {
        var known: [String: String] = [:]
        for migration in migrations {
            known[migration.name] = checksum(of: migration)
        }
        for name in applied.keys.sorted() {
            guard let expected = known[name] else { throw StoreError.unknownMigration(name: name) }
            if applied[name] != expected { throw StoreError.migrationChanged(name: name) }
        }
    }

    private static func apply(_ migration: Migration, to database: Database) throws(StoreError) {
        try database.transaction { () throws(StoreError) in
            try database.execute(migration.sql)
            try database.run(
                """
                INSERT INTO schema_migrations (name, checksum, applied_at)
                VALUES (?1, ?2, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
                """,
                [.text(migration.name), .text(checksum(of: migration))])
        }
    }
}
