import PaceStore

/// The stored changes an instance of a cluster may have missed on the bus, rebuilt as the
/// events their writers published, so the gap fill hands the hub what Redis lost.
///
/// What the store can rebuild is every change with a key (`ReorderWindow.key`): a message
/// created after `after` becomes `messageCreated` (or `encryptedMessageCreated`, with each
/// device's ciphertext) in its current state, and a message whose `version` moved after `after`
/// becomes `messageUpdated` or `messageDeleted` at that version. A reaction therefore arrives
/// as `message.updated` (the Message object with its reactions), and of several edits only the
/// last one: the store keeps no history of intermediate versions. Read receipts, conversation
/// updates, typing, presence and delivered receipts are not rebuilt (see README, "Run a
/// cluster"); read positions and conversations come back with the next `since` resume.
package enum StoreCatchUp {
    /// Rows read at most; a longer gap makes clients resume with `since` instead.
    static let limit = 5_000

    /// Every message changed after `?1`, in version order (the `messages_version` index).
    package static let changedSQL = """
        SELECT id, seq, conversation_id, sender_id, body, client_id, reply_to_id,
               created_at, edited_at, version, deleted, kind
        FROM messages WHERE version > ?1
        ORDER BY version
        LIMIT ?2
        """

    /// The events keyed above `after`, in key order, or nil when there are more than `limit`.
    static func events(_ db: any StoreTransaction, after: Int64, limit: Int = limit) throws(StoreError) -> [ChatEvent]? {
        var messages = try db.query(changedSQL, [.integer(after), .integer(Int64(limit + 1))]) { MessageRecord(row: $0) }
        guard messages.count <= limit else { return nil }
        try MessageQueries.hydrate(db, &messages)
        let devices = try ciphertexts(db, of: messages.filter { $0.kind == .encrypted && $0.seq > after && !$0.deleted })
        var events: [(Int64, ChatEvent)] = []
        for message in messages {
            let json = MessageEncoder.encode(message)
            if message.seq > after {
                events.append((message.seq, created(message, json: json, devices: devices[message.id] ?? [])))
            }
            guard message.version != message.seq else { continue }
            events.append((message.version, message.deleted
                ? .messageDeleted(conversationID: message.conversationID, version: message.version, message: json)
                : .messageUpdated(conversationID: message.conversationID, version: message.version, message: json)))
        }
        return events.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The server-wide sequence as stored: everything at or below it was committed before.
    static func sequence(_ db: any StoreTransaction) throws(StoreError) -> Int64 {
        try db.queryFirst("SELECT value FROM sequence WHERE id = 1") { $0.int64(0) } ?? 0
    }

    /// Login sessions revoked at or after `since` (wall-clock ms): a revocation relayed on the
    /// bus may have been lost with the events.
    static func revokedFamilies(_ db: any StoreTransaction, since: Int64) throws(StoreError) -> [String] {
        try RefreshTokens.revokedFamilies(since: since, in: db).map(\.id)
    }

    private static func created(_ message: MessageRecord, json: [UInt8], devices: [DeviceMessage]) -> ChatEvent {
        guard message.kind == .encrypted, !message.deleted else {
            return .messageCreated(conversationID: message.conversationID, messageID: message.id, seq: message.seq,
                                   senderID: message.senderID, message: json)
        }
        return .encryptedMessageCreated(conversationID: message.conversationID, messageID: message.id, seq: message.seq,
                                        senderID: message.senderID, message: json, ciphertexts: devices)
    }

    /// Each encrypted message as every recipient device sees it, with only that device's ciphertext.
    private static func ciphertexts(_ db: any StoreTransaction,
                                    of messages: [MessageRecord]) throws(StoreError) -> [Int64: [DeviceMessage]] {
        guard !messages.isEmpty else { return [:] }
        let byID = Dictionary(messages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try db.query("""
            SELECT c.message_id, d.user_id, c.device_id, c.ciphertext
            FROM message_ciphertexts c JOIN devices d ON d.id = c.device_id
            WHERE c.message_id IN (SELECT value FROM json_each(?1))
            ORDER BY c.message_id, c.device_id
            """, [.text(MessageQueries.idList(messages.map(\.id)))]) { ($0.int64(0), $0.int64(1), $0.int64(2), $0.bytes(3)) }
        var table: [Int64: [DeviceMessage]] = [:]
        for (messageID, userID, deviceID, ciphertext) in rows {
            guard var copy = byID[messageID] else { continue }
            copy.ciphertext = ciphertext
            table[messageID, default: []].append(DeviceMessage(userID: userID, deviceID: deviceID,
                                                               message: MessageEncoder.encode(copy)))
        }
        return table
    }
}
