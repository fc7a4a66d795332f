import PaceJSON
import PaceStore

/// The `mentions` rows of a message, written with it on the writer and replaced on edit, removed
/// on delete; counts and `GET /me/mentions` read them (see migrations/0006_channels.sql).
package enum Mentions {
    /// The mention count of member `m` (?1) in conversation `c` (aliases of the surrounding
    /// query): their `@username` rows above the marker of messages without `@channel`, plus the
    /// `@channel`/`@here` messages above it that others sent. Both are index ranges over
    /// mentions only, never over messages.
    package static let countSQL = """
        ((SELECT count(*) FROM mentions n
          WHERE n.user_id = ?1 AND n.conversation_id = c.id AND n.seq > m.last_read_seq
            AND NOT EXISTS (SELECT 1 FROM channel_mentions e WHERE e.conversation_id = n.conversation_id AND e.seq = n.seq))
         + (SELECT count(*) FROM channel_mentions e
            WHERE e.conversation_id = c.id AND e.seq > m.last_read_seq AND e.sender_id <> ?1))
        """

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
            // One row for every member: see `countSQL`.
            try db.run("""
                INSERT INTO channel_mentions (conversation_id, seq, message_id, sender_id) VALUES (?1, ?2, ?3, ?4)
                """, [.integer(conversationID), .integer(seq), .integer(messageID), .integer(senderID)])
        }
        return explicit.sorted()
    }

    static func erase(_ db: any StoreTransaction, messageID: Int64) throws(StoreError) {
        try db.run("DELETE FROM mentions WHERE message_id = ?1", [.integer(messageID)])
        try db.run("DELETE FROM channel_mentions WHERE message_id = ?1", [.integer(messageID)])
    }
}
