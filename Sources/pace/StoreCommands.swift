#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceStore
import PaceSystem

/// The operator commands that work on the database directly: `migrate` and `users promote`
/// (SQLite in the data directory, or PostgreSQL when `PACE_DATABASE_URL` names it), and for
/// SQLite `backup`, which may run beside a live server (SQLite's WAL and busy timeout let them),
/// and `restore`, which fills a data directory no server uses yet.
enum StoreCommands {
    /// `pace migrate [--data-dir DIR]`: applies the missing migrations and names them. The server
    /// does the same at start; this lets an operator do it ahead of a rollout.
    static func migrate(_ arguments: [String], environment: [String: String]) -> Int32 {
        let applied: [String]
        do {
            switch PostgresConfiguration.from(environment: environment) {
            case .failure(let problem): return fail("pace: \(problem.text)")
            case .success(let postgres?):
                let connection = try PostgresConnection(configuration: postgres)
                defer { connection.close() }
                applied = try PostgresMigrator.migrate(connection)
            case .success(nil):
                guard let directory = dataDirectory(arguments, environment: environment) else {
                    return fail("usage: pace migrate [--data-dir DIR]")
                }
                try DataDirectory.create(directory)
                let database = try Database.open(path: directory + "/" + SQLiteStore.fileName, role: .writer)
                defer { database.close() }
                applied = try Migrator.migrate(database)
            }
        } catch {
            return fail("pace: \(error)")
        }
        Output.line(applied.isEmpty ? "the schema is up to date" : "applied: \(applied.joined(separator: ", "))")
        return 0
    }

    /// `pace users promote NAME [--data-dir DIR]`.
    static func promote(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard arguments.first == "promote", arguments.count >= 2 else {
            return fail("usage: pace users promote NAME [--data-dir DIR]")
        }
        let name = arguments[1]
        return withAnyStore(Array(arguments.dropFirst(2)), environment: environment) { store throws(StoreError) in
            let changed = try store.writeNow { database throws(StoreError) in
                try database.run("UPDATE users SET role = 'admin', server_role = 'admin' WHERE username = ?", [.text(name)])
                return database.changes
            }
            guard changed > 0 else { return fail("pace: no user named '\(name)'") }
            Output.line("\(name) is now an admin")
            return 0
        }
    }

    /// `pace admin create NAME [--data-dir DIR]`, the password from `PACE_ADMIN_PASSWORD` (the
    /// environment, so it shows in no process list).
    static func createAdmin(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard arguments.first == "create", arguments.count >= 2 else {
            return fail("usage: PACE_ADMIN_PASSWORD=… pace admin create NAME [--data-dir DIR]")
        }
        guard let password = environment["PACE_ADMIN_PASSWORD"], !password.isEmpty else {
            return fail("pace: set PACE_ADMIN_PASSWORD to the new admin's password")
        }
        let name = arguments[1]
        return withAnyStore(Array(arguments.dropFirst(2)), environment: environment) { store throws(StoreError) in
            switch try OperatorAccounts.createAdmin(username: name, password: password, environment: environment,
                                                    in: store, now: Clock.wallMilliseconds()) {
            case .success(let id):
                Output.line("created admin \(name) (id \(id))")
                return 0
            case .failure(let problem):
                return fail("pace: \(problem)")
            }
        }
    }

    /// `pace backup PATH [--data-dir DIR]`: the database and the upload files, into the new
    /// directory PATH.
    static func backup(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard let destination = arguments.first, !destination.hasPrefix("-") else {
            return fail("usage: pace backup PATH [--data-dir DIR]")
        }
        var uploads = ""
        return withStore(Array(arguments.dropFirst()), environment: environment, directory: { uploads = $0 + "/uploads" }) { store in
            do {
                let report = try DataBackup.backup(store, uploads: uploads, to: destination)
                Output.line("backed up to \(destination): the database and \(report.files) upload files")
                if report.missing > 0 { Output.error("pace: \(report.missing) upload files were deleted during the backup") }
                return 0
            } catch {
                return fail("pace: \(error)")
            }
        }
    }

    /// `pace restore PATH [--data-dir DIR]`: a backup into a data directory without a database.
    static func restore(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard let source = arguments.first, !source.hasPrefix("-"),
              let directory = dataDirectory(Array(arguments.dropFirst()), environment: environment) else {
            return fail("usage: pace restore PATH [--data-dir DIR]")
        }
        do {
            let report = try DataBackup.restore(from: source, into: directory)
            Output.line("restored \(source) into \(directory): the database and \(report.files) upload files")
            if report.missing > 0 { Output.error("pace: \(report.missing) upload files were missing from the backup") }
            return 0
        } catch {
            return fail("pace: \(error)")
        }
    }

    /// `--data-dir DIR`, else `PACE_DATA_DIR`, else `./data`; nil for other options.
    private static func dataDirectory(_ options: [String], environment: [String: String]) -> String? {
        if options.count == 2, options[0] == "--data-dir" { return options[1] }
        guard options.isEmpty else { return nil }
        return environment["PACE_DATA_DIR"] ?? ServerConfiguration().dataDirectory
    }

    /// PostgreSQL when `PACE_DATABASE_URL` names it, else the data directory's SQLite database.
    private static func withAnyStore(_ options: [String], environment: [String: String],
                                     _ body: (any Store) throws(StoreError) -> Int32) -> Int32 {
        switch PostgresConfiguration.from(environment: environment) {
        case .failure(let problem): return fail("pace: \(problem.text)")
        case .success(nil): return withStore(options, environment: environment, { store throws(StoreError) in try body(store) })
        case .success(let postgres?):
            guard options.isEmpty else { return fail("pace: unexpected arguments: \(options.joined(separator: " "))") }
            do {
                var configuration = postgres
                configuration.readerCount = 1
                let store = try ChatStore.openPostgres(configuration)
                defer { store.close() }
                return try body(store)
            } catch {
                return fail("pace: \(error)")
            }
        }
    }

    /// Opens the existing database of the data directory (see `dataDirectory`) for `body`.
    private static func withStore(_ options: [String], environment: [String: String],
                                  directory found: (String) -> Void = { _ in },
                                  _ body: (SQLiteStore) throws(StoreError) -> Int32) -> Int32 {
        guard let directory = dataDirectory(options, environment: environment) else {
            return fail("pace: unexpected arguments: \(options.joined(separator: " "))")
        }
        guard access(directory + "/" + SQLiteStore.fileName, F_OK) == 0 else {
            return fail("pace: no database in \(directory)")
        }
        found(directory)
        do {
            let store = try ChatStore.openSQLite(directory: directory, readerCount: 1)
            defer { store.close() }
            return try body(store)
        } catch {
            return fail("pace: \(error)")
        }
    }

    private static func fail(_ message: String) -> Int32 {
        Output.error(message)
        return 1
    }
}
