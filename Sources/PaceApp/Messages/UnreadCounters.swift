import PaceStore

/// The counters behind unread counts (migrations/0009_unread_counters.sql): a conversation's
/// `message_count`, each message's ordinal `n`, and per member `read_n`, `own_above` and
/// `deleted_above`. A list reads `message_count - read_n - own_above - deleted_above` from rows
/// it joins anyway instead of counting messages. Every write that moves a term goes through here.
package enum UnreadCounters {
    /// The unread count of member `m` in conversation `c` (aliases of the surrounding query):
    /// the messages others sent above the marker that are not deleted.
    package static let unreadSQL = "(c.message_count - m.read_n - m.own_above - m.deleted_above)"

    /// The ordinal of the next message of conversation ?2, read inside the insert.
    static let nextOrdinalSQL = "(SELECT message_count + 1 FROM conversations WHERE id = ?2)"

    /// A new message from `senderID` (the conversation's count moves with `last_activity_seq`):
    /// it lies above the sender's marker, whose seq is older than any new one.
    static func messageSent(_ db: any StoreTransaction, conversationID: Int64, senderID: Int64) throws(StoreError) {
        try db.run("UPDATE members SET own_above = own_above + 1 WHERE conversation_id = ?1 AND user_id = ?2",
                   [.integer(conversationID), .integer(senderID)])
    }

    /// A live message is being marked deleted: every other member who has not read it has one
    /// unread message less. Rows touched: the members below it, once per deletion.
    static func messageDeleting(_ db: any StoreTransaction, messageID: Int64) throws(StoreError) {
        try db.run("""
            UPDATE members SET deleted_above = deleted_above + 1
            WHERE conversation_id = (SELECT x.conversation_id FROM messages x WHERE x.id = ?1)
              AND user_id <> (SELECT x.sender_id FROM messages x WHERE x.id = ?1)
              AND last_read_seq < (SELECT x.seq FROM messages x WHERE x.id = ?1)
            """, [.integer(messageID)])
    }

    /// The counters of members whose marker is at `last_read_seq` (just joined, or just moved):
    /// counted from the messages above it, which for a fresh marker are few.
    static func recount(_ db: any StoreTransaction, conversationID: Int64, userIDs: [Int64]) throws(StoreError) {
        try db.run("""
            UPDATE members SET
                read_n = COALESCE((SELECT x.n FROM messages x WHERE x.conversation_id = members.conversation_id
                                   AND x.seq <= members.last_read_seq ORDER BY x.seq DESC LIMIT 1), 0),
                own_above = (SELECT count(*) FROM messages x WHERE x.conversation_id = members.conversation_id
                             AND x.seq > members.last_read_seq AND x.sender_id = members.user_id),
                deleted_above = (SELECT count(*) FROM messages x WHERE x.conversation_id = members.conversation_id
                                 AND x.seq > members.last_read_seq AND x.sender_id <> members.user_id AND x.deleted = 1)
            WHERE conversation_id = ?1 AND user_id IN (SELECT value FROM json_each(?2))
            """, [.integer(conversationID), .text(MessageQueries.idList(userIDs))])
    }
}
