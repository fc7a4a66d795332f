#if canImport(Glibc)
import Glibc
#endif
import PaceStore
import Synchronization

/// Which store the app tests run on. Unset, SQLite in each test's data directory; with
/// `PACE_TEST_DATABASE_URL=postgres://…` (see `make test-pg`), PostgreSQL, each test in a fresh
/// schema of that database (its own tables, sequence row and migrations; `public` stays on the
/// search path for the citext extension).
enum TestDatabase {
    static let url: String? = getenv("PACE_TEST_DATABASE_URL").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }

    static var isPostgres: Bool { url != nil }

    /// Why an SQLite-only test does not run on PostgreSQL.
    static let sqliteOnly = "tests SQLite itself (files, locks, query plans); skipped with PACE_TEST_DATABASE_URL"

    private static let counter = Atomic<Int>(0)
    private static let prepared = Mutex<Bool>(false)

    /// A configuration for a new, empty schema, or nil on SQLite. The schema is created here;
    /// the store migrates it when it opens.
    static func freshPostgres() throws -> PostgresConfiguration? {
        guard let url else { return nil }
        let schema = "t\(getpid())_\(counter.add(1, ordering: .relaxed).newValue)_\(Int(time(nil)) % 100_000)"
        let admin = try PostgresConnection(configuration: PostgresConfiguration(url: url))
        defer { admin.close() }
        try prepared.withLock { (done: inout Bool) throws(StoreError) in
            guard !done else { return }
            try admin.execute("CREATE EXTENSION IF NOT EXISTS citext SCHEMA public")
            done = true
        }
        try admin.execute("CREATE SCHEMA \(schema)")
        var configuration = PostgresConfiguration(url: url + (url.contains("?") ? "&" : "?")
                                                  + "options=-c%20search_path%3D\(schema)%2Cpublic")
        configuration.readerCount = 2
        return configuration
    }

    /// `environment` for a `pace` child process, with `PACE_DATABASE_URL` naming a fresh schema
    /// when the tests run on PostgreSQL.
    static func serverEnvironment(_ environment: [String: String]) throws -> [String: String] {
        guard let postgres = try freshPostgres() else { return environment }
        return environment.merging(["PACE_DATABASE_URL": postgres.url, "PACE_PG_POOL": "2"]) { $1 }
    }
}
