import CSQLite

/// What a connection is for; decides its pragmas.
package enum ConnectionRole: Sendable {
    /// The one connection that writes. `synchronous=FULL`: WAL is fsynced at every commit, so an
    /// acknowledged write survives a power cut (group commit pays that once per batch).
    case writer
    /// A `query_only` connection; WAL lets it read a consistent snapshot beside the writer.
    case reader
    /// The `Checkpointer`'s: `synchronous=FULL` so each checkpoint fsyncs the database file
    /// before the WAL frames it copied may be overwritten.
    case checkpointer
}

extension Database {
    /// How long a connection waits on another process's lock before failing with `.busy`.
    package static let busyTimeoutMilliseconds: Int32 = 5000

    /// Opens `path` and applies the pragmas for `role`.
    package static func open(path: String, role: ConnectionRole) throws(StoreError) -> Database {
        let database = try Database(path: path)
        try database.configure(for: role)
        return database
    }

    /// Applies the per-connection settings. `journal_mode=WAL` is persistent in the file, but
    /// setting it on every writer open is cheap and repairs a file copied in another mode;
    /// `journal_size_limit` shrinks the WAL file back to 64 MiB after a burst, and
    /// `wal_autocheckpoint=0` leaves checkpoints to the `Checkpointer`, off the commit path.
    package func configure(for role: ConnectionRole) throws(StoreError) {
        let connection = try liveHandle()
        let code = sqlite3_busy_timeout(connection, Self.busyTimeoutMilliseconds)
        guard code == ResultCode.ok else { throw error(code) }
        try execute("PRAGMA foreign_keys = ON")
        switch role {
        case .writer:
            try execute("""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA wal_autocheckpoint = 0;
                PRAGMA journal_size_limit = 67108864;
                PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -32768;
                """)
            enableSequence()
        case .checkpointer:
            try execute("PRAGMA synchronous = FULL")
        case .reader:
            try execute("""
                PRAGMA query_only = ON;
                PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -8192;
                """)
        }
    }
}
