import PaceStore

/// The chat schema's work in every write transaction, before COMMIT: adding new messages to the
/// full-text index in bulk (see `messages_fts_state` in migrations/0001_initial.sql for why that
/// is not a trigger), and the sequence cross-check against `messages.seq`.
package struct ChatCommitHook: CommitHook {
    package init() {}

    /// Indexes every message above the high-water mark, in its current state, with one bulk
    /// statement, then moves the mark to the newest message. Under load (`deferrable`) it waits
    /// for a quieter batch; the writer bounds how long.
    package func beforeCommit(_ transaction: any StoreTransaction, deferrable: Bool) throws(StoreError) {
        guard !deferrable else { return }
        try transaction.run("""
            INSERT INTO messages_fts (rowid, body)
            SELECT id, body FROM messages
            WHERE seq > (SELECT indexed_seq FROM messages_fts_state) AND deleted = 0 AND body <> ''
            """)
        try transaction.run("""
            UPDATE messages_fts_state
            SET indexed_seq = (SELECT coalesce(max(seq), 0) FROM messages)
            WHERE id = 1 AND indexed_seq < (SELECT coalesce(max(seq), 0) FROM messages)
            """)
    }

    /// Messages imported by another tool may carry seq values the `sequence` row never saw.
    package func sequenceFloor(_ transaction: any StoreTransaction) throws(StoreError) -> Int64 {
        try transaction.queryFirst("SELECT coalesce(max(seq), 0) FROM messages") { $0.int64(0) } ?? 0
    }
}

/// How the chat server opens its store.
package enum ChatStore {
    /// PostgreSQL when the configuration names it, else SQLite in the data directory.
    package static func open(_ configuration: ServerConfiguration) throws(StoreError) -> any Store {
        if let postgres = configuration.postgres { return try openPostgres(postgres) }
        return try openSQLite(directory: configuration.dataDirectory)
    }

    /// The PostgreSQL store with the chat schema (migrations/postgres). Its full-text index is a
    /// generated column, so the commit hook serves only the sequence cross-check at open.
    package static func openPostgres(_ configuration: PostgresConfiguration) throws(StoreError) -> PostgreSQLStore {
        try PostgreSQLStore(configuration: configuration, migrations: Migrator.embeddedPostgres,
                            commitHook: ChatCommitHook())
    }

    /// The SQLite store in `directory` with the chat schema (the embedded migrations) and its
    /// commit hook.
    package static func openSQLite(directory: String, readerCount: Int = 2) throws(StoreError) -> SQLiteStore {
        try SQLiteStore(directory: directory, migrations: Migrator.embedded, commitHook: ChatCommitHook(),
                        readerCount: readerCount)
    }
}
