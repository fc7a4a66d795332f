import PaceStore

/// Reads of conversations. A list costs a fixed number of queries whatever its length: the
/// conversations with their unread counts and newest message ids, all their members, then the
/// newest messages with their attachments and reactions.
package enum ConversationQueries {
    /// The caller's conversations with their unread counts and newest message ids: ?1 the caller.
    package static let listSQL = """
        SELECT c.id, CASE WHEN ch.conversation_id IS NULL THEN c.type ELSE 'channel' END, c.title, c.created_at,
               \(UnreadCounters.unreadSQL),
               (SELECT x.id FROM messages x WHERE x.conversation_id = c.id ORDER BY x.seq DESC LIMIT 1), c.e2ee,
               ch.name, ch.topic, ch.purpose, ch.archived, ch.admins_only,
               \(Mentions.countSQL),
               m.notify, m.notify_muted_until
        FROM members m JOIN conversations c ON c.id = m.conversation_id
        LEFT JOIN channels ch ON ch.conversation_id = c.id
        WHERE m.user_id = ?1
        ORDER BY c.last_activity_seq DESC, c.id DESC
        """

    /// Every member of the caller's conversations: ?1 the caller.
    package static let listMembersSQL = """
        SELECT o.conversation_id, o.user_id, o.role, o.joined_at, o.muted_until
        FROM members m JOIN members o ON o.conversation_id = m.conversation_id
        WHERE m.user_id = ?1
        ORDER BY o.conversation_id, o.joined_at, o.user_id
        """

    /// Every conversation of `userID`, most recent activity first.
    package static func list(_ db: any StoreTransaction, userID: Int64) throws(StoreError) -> [ConversationView] {
        let heads = try db.query(Self.listSQL, [.integer(userID)], Head.init(row:))
        let members = try db.query(Self.listMembersSQL, [.integer(userID)], memberRow)
        return try assemble(db, heads, members)
    }

    /// One conversation as `userID` sees it, or nil when they are not a member.
    package static func view(_ db: any StoreTransaction, conversationID: Int64, userID: Int64) throws(StoreError) -> ConversationView? {
        let heads = try db.query("""
            SELECT c.id, CASE WHEN ch.conversation_id IS NULL THEN c.type ELSE 'channel' END, c.title, c.created_at,
                   \(UnreadCounters.unreadSQL),
                   (SELECT x.id FROM messages x WHERE x.conversation_id = c.id ORDER BY x.seq DESC LIMIT 1), c.e2ee,
                   ch.name, ch.topic, ch.purpose, ch.archived, ch.admins_only,
                   \(Mentions.countSQL),
                   m.notify, m.notify_muted_until
            FROM members m JOIN conversations c ON c.id = m.conversation_id
            LEFT JOIN channels ch ON ch.conversation_id = c.id
            WHERE m.user_id = ?1 AND m.conversation_id = ?2
            """, [.integer(userID), .integer(conversationID)], Head.init(row:))
        guard !heads.isEmpty else { return nil }
        return try assemble(db, heads, members(db, conversationID: conversationID)).first
    }

    /// The conversation without per-member fields, for events: its members and newest message.
    package static func shared(_ db: any StoreTransaction, conversationID: Int64) throws(StoreError) -> (ConversationRecord, MessageRecord?)? {
        let heads = try db.query("""
            SELECT c.id, CASE WHEN ch.conversation_id IS NULL THEN c.type ELSE 'channel' END, c.title, c.created_at, 0,
                   (SELECT x.id FROM messages x WHERE x.conversation_id = c.id ORDER BY x.seq DESC LIMIT 1), c.e2ee,
                   ch.name, ch.topic, ch.purpose, ch.archived, ch.admins_only, 0, 'all', 0
            FROM conversations c LEFT JOIN channels ch ON ch.conversation_id = c.id WHERE c.id = ?1
            """, [.integer(conversationID)], Head.init(row:))
        guard let view = try assemble(db, heads, members(db, conversationID: conversationID)).first else { return nil }
        return (view.conversation, view.lastMessage)
    }

    private static func members(_ db: any StoreTransaction, conversationID: Int64) throws(StoreError) -> [(Int64, MemberRecord)] {
        try db.query("""
            SELECT conversation_id, user_id, role, joined_at, muted_until FROM members
            WHERE conversation_id = ?1 ORDER BY joined_at, user_id
            """, [.integer(conversationID)], memberRow)
    }

    private static func memberRow(_ row: any StoreRow) -> (Int64, MemberRecord) {
        (row.int64(0), MemberRecord(userID: row.int64(1), role: MemberRole(rawValue: row.string(2)) ?? .member,
                                    joinedAt: row.int64(3), mutedUntil: row.int64(4)))
    }

    private static func assemble(_ db: any StoreTransaction, _ heads: [Head],
                                 _ members: [(Int64, MemberRecord)]) throws(StoreError) -> [ConversationView] {
        var byConversation: [Int64: [MemberRecord]] = [:]
        for (conversationID, member) in members { byConversation[conversationID, default: []].append(member) }
        var lastMessages = try db.query("""
            SELECT id, seq, conversation_id, sender_id, body, client_id, reply_to_id, created_at, edited_at,
                   version, deleted, kind
            FROM messages WHERE id IN (SELECT value FROM json_each(?1))
            """, [.text(MessageQueries.idList(heads.compactMap(\.lastMessageID)))], MessageRecord.init(row:))
        try MessageQueries.hydrate(db, &lastMessages)
        let lastByConversation = Dictionary(lastMessages.map { ($0.conversationID, $0) }, uniquingKeysWith: { a, _ in a })
        return heads.map { head in
            ConversationView(
                conversation: ConversationRecord(id: head.id, type: head.type, title: head.title, createdAt: head.createdAt,
                                                 members: byConversation[head.id] ?? [], e2ee: head.e2ee,
                                                 channel: head.channel),
                lastMessage: lastByConversation[head.id], unreadCount: head.unreadCount,
                mentionCount: head.mentionCount, notifications: head.notifications)
        }
    }

    /// A conversation row with the per-member aggregates of the list query.
    private struct Head {
        var id: Int64
        var type: ConversationType
        var title: String?
        var createdAt: Int64
        var unreadCount: Int
        var lastMessageID: Int64?
        var e2ee: Bool
        var channel: ChannelInfo?
        var mentionCount: Int
        var notifications: NotificationSetting

        init(row: any StoreRow) {
            id = row.int64(0)
            type = ConversationType(rawValue: row.string(1)) ?? .group
            title = row.optionalString(2)
            createdAt = row.int64(3)
            unreadCount = row.int(4)
            lastMessageID = row.optionalInt64(5)
            e2ee = row.bool(6)
            mentionCount = row.int(12)
            notifications = NotificationSetting(level: NotificationLevel(rawValue: row.string(13)) ?? .all,
                                                mutedUntil: row.int64(14))
            if !row.isNull(7) {
                channel = ChannelInfo(name: row.string(7), topic: row.string(8), purpose: row.string(9),
                                      archived: row.bool(10), adminsOnly: row.bool(11))
            }
        }
    }
}
