import PaceStore

/// The `mentions` rows of a message, written with it on the writer and replaced on edit, removed
/// on delete; counts and `GET /me/mentions` read them (see migrations/0006_channels.sql).
package enum Mentions {
    /// Records the members `body` mentions, the sender excepted; returns the explicitly
    /// mentioned ids, ascending.
    @discardableResult
    static func record(_ db: any StoreTransaction, messageID: Int64, seq: Int64, conversationID: Int64, senderID: Int64,
                       body: String) throws(StoreError) -> [Int64] {
        guard body.utf8.contains(0x40) else { return [] }
        let parsed = MentionParser(body: body)
        var explicit: [Int64] = []
        for name in parsed.names {
            // One indexed lookup per name (case-insensitive: NOCASE in SQLite, citext in PostgreSQL).
            if let id = try db.queryFirst("""
                SELECT u.id FROM users u JOIN members m ON m.user_id = u.id AND m.conversation_id = ?1
                WHERE u.username = ?2 AND u.id <> ?3
                """, [.integer(conversationID), .text(name), .integer(senderID)], { $0.int64(0) }), !explicit.contains(id) {
                explicit.append(id)
            }
        }
        if !explicit.isEmpty {
            try db.run("""
                INSERT INTO mentions (user_id, conversation_id, seq, message_id, explicit)
                SELECT value, ?1, ?2, ?3, 1 FROM json_each(?4)
                """, [.integer(conversationID), .integer(seq), .integer(messageID), .text(MessageQueries.idList(explicit))])
        }
        if parsed.everyone {
            try db.run("""
                INSERT INTO mentions (user_id, conversation_id, seq, message_id, explicit)
                SELECT user_id, ?1, ?2, ?3, 0 FROM members
                WHERE conversation_id = ?1 AND user_id <> ?4
                  AND user_id NOT IN (SELECT value FROM json_each(?5))
                """, [.integer(conversationID), .integer(seq), .integer(messageID), .integer(senderID),
                      .text(MessageQueries.idList(explicit))])
        }
        return explicit.sorted()
    }

    static func erase(_ db: any StoreTransaction, messageID: Int64) throws(StoreError) {
        try db.run("DELETE FROM mentions WHERE message_id = ?1", [.integer(messageID)])
    }
}
