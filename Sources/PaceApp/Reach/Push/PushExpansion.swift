import PaceJSON
import PaceStore

/// Turns one stored message into the pushes it owes, inside the dispatcher's write transaction.
///
/// The rule: every member of the conversation but the sender, not deactivated, with at least one
/// subscription, whose notification level is `all` (or `mentions` and the message mentions them,
/// `@everyone` included), whose notifications are not muted, and who has no open WebSocket on
/// any instance when the coalescing window ends. There is no "idle socket" rule: an open socket
/// got the message live, and the client decides whether to notify.
package struct PushExpansion {
    package let configuration: PushConfiguration
    /// Whether the user has a WebSocket open here or on another instance.
    package let isConnected: @Sendable (Int64) -> Bool

    package init(configuration: PushConfiguration, isConnected: @escaping @Sendable (Int64) -> Bool) {
        self.configuration = configuration
        self.isConnected = isConnected
    }

    /// What one step of a message's expansion did.
    package struct Step: Sendable {
        /// Pushes written.
        package var owed: Int
        /// Subscriptions looked at (the step's cost).
        package var subscriptions: Int
        /// The cursor to resume from, or nil when the message is done.
        package var next: Int64?
    }

    /// Writes the pushes `messageID` owes to subscriptions after `after` (by id), at most
    /// `limit` of them.
    package func expand(_ db: any StoreTransaction, messageID: Int64, after: Int64 = 0, limit: Int = .max,
                        now: Int64) throws(StoreError) -> Step {
        guard let message = try db.queryFirst("""
            SELECT m.conversation_id, m.sender_id, m.kind, m.body, m.deleted, u.username, u.display_name, c.type, c.title
            FROM messages m JOIN users u ON u.id = m.sender_id JOIN conversations c ON c.id = m.conversation_id
            WHERE m.id = ?1
            """, [.integer(messageID)], { row in
                PushMessage(conversationID: row.int64(0), senderID: row.int64(1), kind: row.string(2), body: row.string(3),
                            deleted: row.int64(4) != 0, senderName: row.string(5), senderDisplayName: row.string(6),
                            direct: row.string(7) == "direct", title: row.optionalString(8))
            }), !message.deleted else { return Step(owed: 0, subscriptions: 0, next: nil) }
        let recipients = try db.query("""
            SELECT s.id, m.user_id,
                   CASE WHEN EXISTS (SELECT 1 FROM mentions n WHERE n.message_id = ?1 AND n.user_id = m.user_id)
                        THEN 1 ELSE 0 END
            FROM members m JOIN push_subscriptions s ON s.user_id = m.user_id JOIN users u ON u.id = m.user_id
            WHERE m.conversation_id = ?2 AND m.user_id <> ?3 AND u.deactivated_at IS NULL AND m.notify <> 'none'
              AND m.notify_muted_until <= ?4
              AND (m.notify = 'all' OR EXISTS (SELECT 1 FROM mentions n WHERE n.message_id = ?1 AND n.user_id = m.user_id))
              AND s.id > ?5
            ORDER BY s.id LIMIT ?6
            """, [.integer(messageID), .integer(message.conversationID), .integer(message.senderID), .integer(now),
                  .integer(after), .integer(Int64(min(limit, Self.stepLimit)))]) {
            (subscription: $0.int64(0), user: $0.int64(1), mentioned: $0.int64(2) != 0)
        }
        let plain = payload(message, messageID: messageID, mentioned: false)
        let mentioning = payload(message, messageID: messageID, mentioned: true)
        var connected: [Int64: Bool] = [:]
        var written = 0
        for recipient in recipients {
            let online: Bool
            if let known = connected[recipient.user] { online = known } else {
                online = isConnected(recipient.user)
                connected[recipient.user] = online
            }
            guard !online else { continue }
            let urgent = recipient.mentioned || message.direct
            try PushOutboxQueries.owe(db, subscriptionID: recipient.subscription, conversationID: message.conversationID,
                                      messageID: messageID, payload: recipient.mentioned ? mentioning : plain,
                                      urgency: urgent ? "high" : "normal", now: now)
            written += 1
        }
        let complete = recipients.count < min(limit, Self.stepLimit)
        return Step(owed: written, subscriptions: recipients.count, next: complete ? nil : recipients.last?.subscription)
    }

    /// Subscriptions per step at most: a channel of 10,000 takes ten short transactions.
    package static let stepLimit = 1000

    /// What the user may see, and no more: the conversation, the sender, and (with
    /// `PACE_PUSH_PREVIEW=full`) the start of a text message. Encrypted messages never have a
    /// preview: the server cannot read them, and must not pretend to.
    func payload(_ message: PushMessage, messageID: Int64, mentioned: Bool) -> String {
        var json = JSONWriter(capacity: 512)
        json.beginObject()
        json.key("type"); json.string("message")
        json.key("conversation_id"); json.string(String(message.conversationID))
        json.key("conversation_title"); json.stringOrNull(message.title.map { Self.truncated($0, to: 100) })
        json.key("message_id"); json.string(String(messageID))
        json.key("kind"); json.string(message.kind)
        json.key("sender")
        json.beginObject()
        json.key("id"); json.string(String(message.senderID))
        json.key("username"); json.string(message.senderName)
        json.key("display_name"); json.string(Self.truncated(message.senderDisplayName, to: 100))
        json.endObject()
        json.key("mentioned"); json.bool(mentioned)
        json.key("preview")
        if configuration.preview == .full, message.kind == "text", !message.body.isEmpty {
            json.string(Self.truncated(message.body, to: configuration.previewCharacters))
        } else {
            json.null()
        }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// The first `limit` characters (grapheme clusters, so no character is cut in half) and
    /// an ellipsis when there was more.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}

/// What a push says about its message, read once per message.
struct PushMessage {
    var conversationID: Int64
    var senderID: Int64
    var kind: String
    var body: String
    var deleted: Bool
    var senderName: String
    var senderDisplayName: String
    var direct: Bool
    var title: String?
}
