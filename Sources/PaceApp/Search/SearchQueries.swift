import PaceStore

/// Full-text search over messages the caller can read: the FTS5 index joined to the caller's
/// memberships, newest first. Deleted messages are not in the index.
package enum SearchQueries {
    /// ?1 the FTS5 expression, ?2 the caller, ?3 a conversation id or NULL, ?4 the limit.
    package static let searchSQL = """
        SELECT m.id, m.seq, m.conversation_id, m.sender_id, m.body, m.client_id, m.reply_to_id, m.created_at,
               m.edited_at, m.version, m.deleted, m.kind
        FROM messages_fts f
        JOIN messages m ON m.id = f.rowid
        JOIN members mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ?2
        WHERE messages_fts MATCH ?1 AND m.deleted = 0 AND (?3 IS NULL OR m.conversation_id = ?3)
        ORDER BY m.seq DESC LIMIT ?4
        """

    package static func search(_ db: any StoreTransaction, userID: Int64, match: String, conversationID: Int64?,
                               limit: Int) throws(StoreError) -> [MessageRecord] {
        let scope = conversationID.map { SQLValue.integer($0) } ?? .null
        var messages = try db.query(Self.searchSQL, [.text(match), .integer(userID), scope, .integer(Int64(limit))],
                                    MessageRecord.init(row:))
        try MessageQueries.hydrate(db, &messages)
        return messages
    }
}
