/// Work the writer folds into a transaction right before COMMIT, so it commits (or rolls back)
/// atomically with the batch: persisting the sequence counter and adding new messages to the
/// full-text index (see `messages_fts_state` in migrations/0001_initial.sql for why that happens
/// in bulk rather than in a trigger).
extension Database {
    /// Turns on bulk indexing if the schema has full-text search; the store calls it after
    /// migrating, so injected test schemas without it work unchanged.
    func enableSearchIndexing() throws(StoreError) {
        indexesNewMessages = try queryFirst(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'messages_fts_state'"
        ) { _ in true } ?? false
    }

    /// Runs inside the open transaction, immediately before COMMIT. Under load the writer may
    /// leave new messages for a later batch to index (`indexingNewMessages: false`); every other
    /// commit indexes them.
    func beforeCommit(indexingNewMessages: Bool = true) throws(StoreError) {
        try persistSequence()
        if indexesNewMessages && indexingNewMessages { try indexNewMessages() }
    }

    /// Indexes every message above the high-water mark, in its current state, with one bulk
    /// statement, then moves the mark to the newest message.
    private func indexNewMessages() throws(StoreError) {
        try run("""
            INSERT INTO messages_fts (rowid, body)
            SELECT id, body FROM messages
            WHERE seq > (SELECT indexed_seq FROM messages_fts_state) AND deleted = 0 AND body <> ''
            """)
        try run("""
            UPDATE messages_fts_state
            SET indexed_seq = (SELECT coalesce(max(seq), 0) FROM messages)
            WHERE id = 1 AND indexed_seq < (SELECT coalesce(max(seq), 0) FROM messages)
            """)
    }
}
