import PaceStore

/// Full-text search over messages the caller can read, joined to the caller's memberships,
/// newest first. Deleted messages are not in the index. The one query the engines cannot share:
/// SQLite searches its FTS5 table, PostgreSQL the `body_search` tsvector column (GIN-indexed);
/// `SearchQuery` says where their matching differs.
package enum SearchQueries {
    /// SQLite: ?1 the FTS5 expression, ?2 the caller, ?3 a conversation id or NULL, ?4 the limit.
    package static let searchSQL = """
        SELECT m.id, m.seq, m.conversation_id, m.sender_id, m.body, m.client_id, m.reply_to_id, m.created_at,
               m.edited_at, m.version, m.deleted, m.kind
        FROM messages_fts f
        JOIN messages m ON m.id = f.rowid
        JOIN members mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ?2
        WHERE messages_fts MATCH ?1 AND m.deleted = 0 AND (?3 IS NULL OR m.conversation_id = ?3)
        ORDER BY m.seq DESC LIMIT ?4
        """

    /// PostgreSQL: ?1 the terms separated by single spaces, ?2 to ?4 as for SQLite. Each term
    /// becomes a phrase query; terms without any word are dropped; no terms left, no rows. (?3
    /// is cast because PostgreSQL cannot type a parameter that is first bound as NULL.)
    package static let postgresSearchSQL = """
        SELECT m.id, m.seq, m.conversation_id, m.sender_id, m.body, m.client_id, m.reply_to_id, m.created_at,
               m.edited_at, m.version, m.deleted
        FROM messages m
        JOIN members mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ?2
        WHERE m.body_search @@ (
                SELECT string_agg('(' || phrase::text || ')', ' & ')::tsquery
                FROM (SELECT phraseto_tsquery('simple', term) AS phrase
                      FROM regexp_split_to_table(?1, ' ') AS term) AS phrases
                WHERE numnode(phrase) > 0)
          AND m.deleted = 0 AND (CAST(?3 AS BIGINT) IS NULL OR m.conversation_id = ?3)
        ORDER BY m.seq DESC LIMIT ?4
        """

    package static func search(_ db: any StoreTransaction, userID: Int64, terms: [String], conversationID: Int64?,
                               limit: Int) throws(StoreError) -> [MessageRecord] {
        let scope = conversationID.map { SQLValue.integer($0) } ?? .null
        let (sql, query): (String, String) = switch db.dialect {
        case .sqlite: (searchSQL, SearchQuery.expression(terms) ?? "\"\"")
        case .postgres: (postgresSearchSQL, terms.joined(separator: " "))
        }
        var messages = try db.query(sql, [.text(query), .integer(userID), scope, .integer(Int64(limit))],
                                    MessageRecord.init(row:))
        try MessageQueries.hydrate(db, &messages)
        return messages
    }
}
