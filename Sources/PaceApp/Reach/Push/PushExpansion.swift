import PaceJSON
import PaceStore

/// Turns one stored message into the pushes it owes, inside the dispatcher's write transaction.
///
/// The rule: every member of the conversation but the sender, not deactivated, with at least one
/// subscription, whose notification level is `all` (or `mentions` and the message mentions them,
/// `@everyone` included), whose notifications are not muted, who has not blocked the sender,
/// and who has no open WebSocket on any instance when the coalescing window ends. There is no
/// "idle socket" rule: an open socket got the message live, and the client decides whether to
/// notify.
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
        /// Members looked at (the step's cost).
        package var members: Int
        /// The member cursor (a user id) to resume from, or nil when the message is done.
        package var next: Int64?
    }

    /// Writes the pushes `messageID` owes to the members after user `after`, at most `limit`
    /// members (all their subscriptions). A step reads a range of the members primary key, so
    /// its cost is its own members, however big the channel.
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
            }), !message.deleted else { return Step(owed: 0, members: 0, next: nil) }
        let stepLimit = min(limit, Self.stepLimit)
        let range = try db.queryFirst(Self.stepSQL, [.integer(message.conversationID), .integer(after),
                                                     .integer(Int64(stepLimit))]) {
            (count: Int($0.int64(0)), last: $0.int64(1))
        } ?? (count: 0, last: after)
        guard range.count > 0 else { return Step(owed: 0, members: 0, next: nil) }
        let written = try oweMembers(db, message, messageID: messageID, members: after...range.last, now: now)
        return Step(owed: written, members: range.count, next: range.count < stepLimit ? nil : range.last)
    }

    /// Writes the pushes owed to the members whose user ids lie in `members` (its lower bound
    /// excluded): not the sender, active, notified at this level, not blocking the sender, and
    /// with no open socket.
    private func oweMembers(_ db: any StoreTransaction, _ message: PushMessage, messageID: Int64,
                            members: ClosedRange<Int64>, now: Int64) throws(StoreError) -> Int {
        let recipients = try db.query(Self.recipientsSQL, [
            .integer(messageID), .integer(message.conversationID), .integer(message.senderID), .integer(now),
            .integer(members.lowerBound), .integer(members.upperBound),
        ]) {
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
        return written
    }

    /// How many members the step after user ?2 takes in conversation ?1 (at most ?3), and the
    /// last of them: a range of the members primary key, read in order.
    package static let stepSQL = """
        SELECT count(*), coalesce(max(user_id), 0) FROM (
            SELECT user_id FROM members WHERE conversation_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3) r
        """

    /// The subscriptions owed message ?1 of conversation ?2 from sender ?3 at time ?4, among the
    /// members with user ids in (?5, ?6].
    package static let recipientsSQL = """
        SELECT s.id, m.user_id,
               CASE WHEN EXISTS (SELECT 1 FROM mentions n WHERE n.message_id = ?1 AND n.user_id = m.user_id)
                    THEN 1 ELSE 0 END
        FROM members m JOIN push_subscriptions s ON s.user_id = m.user_id JOIN users u ON u.id = m.user_id
        WHERE m.conversation_id = ?2 AND m.user_id > ?5 AND m.user_id <= ?6 AND m.user_id <> ?3
          AND u.deactivated_at IS NULL AND m.notify <> 'none' AND m.notify_muted_until <= ?4
          AND (m.notify = 'all' OR EXISTS (SELECT 1 FROM mentions n WHERE n.message_id = ?1 AND n.user_id = m.user_id))
          AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = m.user_id AND b.blocked_id = ?3)
        ORDER BY m.user_id, s.id
        """

    /// Members per step at most: a step of 200 offline subscribers holds the writer about
    /// 2 ms (a chat commit waits at most that long behind it); 10,000 take fifty steps.
    package static let stepLimit = 200

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
