/// Brings a PostgreSQL schema up to date from `migrations/postgres/*.sql`, like `Migrator` does
/// for SQLite (same checksums, same refusal of edited or unknown migrations), under a session
/// advisory lock so instances starting together apply each migration once: the second waits,
/// then finds them applied.
package enum PostgresMigrator {
    /// The key of the advisory lock migrations hold ("pace" in ASCII).
    static let lockKey: Int64 = 0x7061_6365

    /// Applies what is missing from `migrations`, in order; returns the names applied.
    @discardableResult
    package static func migrate(_ connection: PostgresConnection,
                                migrations: [Migrator.Migration] = embeddedPostgresMigrations) throws(StoreError) -> [String] {
        // Waiting for another instance's migrations, and building indexes on big tables, may
        // take longer than the statement timeout meant for requests: lift it meanwhile.
        let timeout = try connection.queryFirst("SELECT current_setting('statement_timeout')") { $0.string(0) } ?? "0"
        try connection.run("SET statement_timeout = 0")
        defer {
            if connection.isConnected {
                try? connection.run("SELECT pg_advisory_unlock(?1)", [.integer(lockKey)])
                try? connection.run("SELECT set_config('statement_timeout', ?1, false)", [.text(timeout)])
            }
        }
        try connection.run("SELECT pg_advisory_lock(?1)", [.integer(lockKey)])
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name       TEXT PRIMARY KEY,
                checksum   TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """)
        let rows = try connection.query("SELECT name, checksum FROM schema_migrations") { ($0.string(0), $0.string(1)) }
        let applied = Dictionary(rows, uniquingKeysWith: { first, _ in first })
        try Migrator.verify(applied: applied, against: migrations)
        var names: [String] = []
        for migration in migrations where applied[migration.name] == nil {
            try connection.execute("BEGIN")
            do {
                try connection.execute(migration.sql)
                try connection.run("""
                    INSERT INTO schema_migrations (name, checksum, applied_at)
                    VALUES (?1, ?2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                    """, [.text(migration.name), .text(Migrator.checksum(of: migration))])
                try connection.execute("COMMIT")
            } catch {
                if connection.isConnected { try? connection.execute("ROLLBACK") }
                throw error
            }
            names.append(migration.name)
        }
        return names
    }
}
