import PaceStore

/// What a client that reconnects with `?since=SEQ` missed: every message of the user's
/// conversations whose `version` (its latest change, or its creation) is above SEQ, in
/// version order. New messages replay as `message.new`, older ones changed since as
/// `message.updated` or `message.deleted`.
package enum Replay {
    /// Replays longer than this are refused; the client reloads history over REST instead.
    package static let limit = 5_000

    package struct Item: Sendable {
        package let type: String
        package let version: Int64
        package let message: [UInt8]
        /// The frame's key for `message`: `conversation` for `conversation.updated`.
        package var key = "message"
        /// A whole frame, sent as it is (replayed receipts).
        package var frame: [UInt8]? = nil
    }

    /// The items after `since` for `userID`, or nil when there are more than `limit`. Encrypted
    /// messages carry `device`'s ciphertext when that device is the user's.
    package static func items(_ db: any StoreTransaction, userID: Int64, since: Int64,
                              device: Int64? = nil) throws(StoreError) -> [Item]? {
        var messages = try db.query("""
            SELECT m.id, m.seq, m.conversation_id, m.sender_id, m.body, m.client_id, m.reply_to_id,
                   m.created_at, m.edited_at, m.version, m.deleted, m.kind
            FROM members AS mine
            JOIN messages AS m ON m.conversation_id = mine.conversation_id AND m.version > ?2
            WHERE mine.user_id = ?1
            ORDER BY m.version
            LIMIT ?3
            """, [.integer(userID), .integer(since), .integer(Int64(limit + 1))]) { MessageRecord(row: $0) }
        guard messages.count <= limit else { return nil }
        let own = try device.flatMap { device throws(StoreError) in
            try DeviceQueries.owned(db, userID: userID, deviceID: device)?.id
        }
        try MessageQueries.hydrate(db, &messages, device: own)
        let items = messages.map { message in
            let type = message.seq > since ? "message.new" : message.deleted ? "message.deleted" : "message.updated"
            return Item(type: type, version: message.version, message: MessageEncoder.encode(message))
        }
        let others = try channelItems(db, userID: userID, since: since) + readItems(db, userID: userID, since: since)
        guard !others.isEmpty else { return items }
        return (items + others).sorted { $0.version < $1.version }
    }

    /// The latest read position of each member of the user's conversations whose marker moved
    /// after `since`, as `receipt` frames with status `read`.
    private static func readItems(_ db: any StoreTransaction, userID: Int64, since: Int64) throws(StoreError) -> [Item] {
        try db.query("""
            SELECT o.conversation_id, o.user_id, o.read_version,
                   (SELECT x.id FROM messages x WHERE x.conversation_id = o.conversation_id AND x.seq = o.last_read_seq)
            FROM members AS mine
            JOIN members AS o ON o.conversation_id = mine.conversation_id AND o.read_version > ?2
            WHERE mine.user_id = ?1
            """, [.integer(userID), .integer(since)]) { row in
            // The live frame's bytes, so that a socket can tell a late live copy from news.
            let frame = ServerFrame.receipt(conversationID: row.int64(0), userID: row.int64(1),
                                            messageID: row.optionalInt64(3) ?? 0, read: true)
            return Item(type: "receipt", version: row.int64(2), message: [], frame: Array(frame.bytes))
        }
    }

    /// `conversation.updated` for the user's channels changed after `since` (settings, archiving,
    /// members joining, leaving or muted).
    private static func channelItems(_ db: any StoreTransaction, userID: Int64, since: Int64) throws(StoreError) -> [Item] {
        let changed = try db.query("""
            SELECT ch.conversation_id, ch.version FROM members AS mine
            JOIN channels AS ch ON ch.conversation_id = mine.conversation_id AND ch.version > ?2
            WHERE mine.user_id = ?1
            """, [.integer(userID), .integer(since)]) { ($0.int64(0), $0.int64(1)) }
        var items: [Item] = []
        for (conversationID, version) in changed {
            guard let (conversation, last) = try ConversationQueries.shared(db, conversationID: conversationID) else { continue }
            items.append(Item(type: "conversation.updated", version: version,
                              message: ConversationEncoder.encodeShared(conversation, lastMessage: last), key: "conversation"))
        }
        return items
    }
}
