#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceStore

/// The operator commands that work on a data directory's database directly: `users promote`
/// and `backup`. They may run beside a live server (SQLite's WAL and busy timeout let them).
enum StoreCommands {
    /// `pace users promote NAME [--data-dir DIR]`.
    static func promote(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard arguments.first == "promote", arguments.count >= 2 else {
            return fail("usage: pace users promote NAME [--data-dir DIR]")
        }
        let name = arguments[1]
        return withStore(Array(arguments.dropFirst(2)), environment: environment) { store throws(StoreError) in
            let changed = try store.writeNow { database throws(StoreError) in
                try database.run("UPDATE users SET role = 'admin' WHERE username = ?", [.text(name)])
                return database.changes
            }
            guard changed > 0 else { return fail("pace: no user named '\(name)'") }
            Output.line("\(name) is now an admin")
            return 0
        }
    }

    /// `pace backup PATH [--data-dir DIR]`.
    static func backup(_ arguments: [String], environment: [String: String]) -> Int32 {
        guard let destination = arguments.first, !destination.hasPrefix("-") else {
            return fail("usage: pace backup PATH [--data-dir DIR]")
        }
        return withStore(Array(arguments.dropFirst()), environment: environment) { store throws(StoreError) in
            try store.backup(to: destination)
            Output.line("backed up to \(destination)")
            return 0
        }
    }

    /// Opens the existing database of `--data-dir` (or `PACE_DATA_DIR`, or `./data`) for `body`.
    private static func withStore(_ options: [String], environment: [String: String],
                                  _ body: (SQLiteStore) throws(StoreError) -> Int32) -> Int32 {
        var directory = environment["PACE_DATA_DIR"] ?? ServerConfiguration().dataDirectory
        if options.count == 2, options[0] == "--data-dir" {
            directory = options[1]
        } else if !options.isEmpty {
            return fail("pace: unexpected arguments: \(options.joined(separator: " "))")
        }
        guard access(directory + "/" + SQLiteStore.fileName, F_OK) == 0 else {
            return fail("pace: no database in \(directory)")
        }
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
