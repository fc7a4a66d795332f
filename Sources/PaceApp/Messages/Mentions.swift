import PaceJSON
import PaceStore

/// The `mentions` rows of a message, written with it on the writer and replaced on edit, removed
/// on delete; counts and `GET /me/mentions` read them (see migrations/0006_channels.sql).
package enum Mentions {
    /// The refusal of a `mentions` list naming anyone who is not a member of the conversation
    /// (an unknown user included): 422 `unknown_mention`, decided before anything is written.
    /// `@names` in the body that match no member are plain text instead (see `MentionParser`).
    static func unknown(_ db: any StoreTransaction, conversationID: Int64, _ ids: [Int64]) throws(StoreError) -> APIError? {
        guard !ids.isEmpty else { return nil }
        let found = try db.query("""
            SELECT user_id FROM members WHERE conversation_id = ?1 AND user_id IN (SELECT value FROM json_each(?2))
            """, [.integer(conversationID), .text(MessageQueries.idList(ids))]) { $0.int64(0) }
        let missing = ids.enumerated().filter { !found.contains($0.element) }
        guard !missing.isEmpty else { return nil }
        return APIError(422, "unknown_mention", "mentions must name members of this conversation.",
                        details: missing.map { FieldProblem(field: "mentions[\($0.offset)]", problem: "is not a member") })
    }

    /// Records the members `body` mentions and the `explicitIDs` (members, checked by
    /// `unknown`), the sender excepted; returns the explicitly mentioned ids, ascending.
    @discardableResult
    static func record(_ db: any StoreTransaction, messageID: Int64, seq: Int64, conversationID: Int64, senderID: Int64,
                       body: String, explicitIDs: [Int64] = []) throws(StoreError) -> [Int64] {
        var explicit = explicitIDs.filter { $0 != senderID }
        guard body.utf8.contains(0x40) || !explicit.isEmpty else { return [] }
        let parsed = MentionParser(body: body)
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
