import PaceStore

/// `channel` is a public group (see `ChannelInfo`); it is stored as a group with a channels row.
package enum ConversationType: String, Sendable {
    case direct, group, channel
}

/// A member's standing in a conversation. Direct conversations have only `member`s.
package enum MemberRole: String, Sendable {
    case owner, admin, member

    /// Owners and admins manage a group: rename it, add and remove members.
    package var manages: Bool { self != .member }
}

package struct MemberRecord: Sendable, Equatable {
    package var userID: Int64
    package var role: MemberRole
    package var joinedAt: Int64
    /// Muted by an owner or admin: no posting before this time (0 = not muted).
    package var mutedUntil: Int64 = 0
}

/// What a channel adds to a conversation.
package struct ChannelInfo: Sendable, Equatable {
    package var name: String
    package var topic: String
    package var purpose: String
    package var archived: Bool
    /// An announcement channel: only the owner and admins post.
    package var adminsOnly: Bool
}

/// A conversation and its members, oldest member first.
package struct ConversationRecord: Sendable, Equatable {
    package var id: Int64
    package var type: ConversationType
    package var title: String?
    package var createdAt: Int64
    package var members: [MemberRecord]
    /// Set by the first end-to-end encrypted message; plain messages are refused from then on.
    package var e2ee = false
    /// Set for channels only.
    package var channel: ChannelInfo? = nil

    package var memberIDs: [Int64] { members.map(\.userID) }
}

/// A conversation as one member sees it: with its newest message and that member's unread count.
package struct ConversationView: Sendable {
    package var conversation: ConversationRecord
    package var lastMessage: MessageRecord?
    package var unreadCount: Int
    /// Messages above that member's read marker that mention them.
    package var mentionCount = 0
    package var notifications = NotificationSetting()
}

/// The caller's membership in a conversation, what every conversation route checks first.
package struct Membership: Sendable {
    package var conversationID: Int64
    package var type: ConversationType
    package var role: MemberRole
    package var archived = false
    package var adminsOnly = false
    package var mutedUntil: Int64 = 0

    /// The caller's membership, or nil: the conversation does not exist for them (404).
    package static func find(_ db: any StoreTransaction, conversationID: Int64, userID: Int64) throws(StoreError) -> Membership? {
        try db.queryFirst("""
            SELECT CASE WHEN ch.conversation_id IS NULL THEN c.type ELSE 'channel' END, m.role,
                   COALESCE(ch.archived, 0), COALESCE(ch.admins_only, 0), m.muted_until
            FROM members m JOIN conversations c ON c.id = m.conversation_id
            LEFT JOIN channels ch ON ch.conversation_id = c.id
            WHERE m.conversation_id = ?1 AND m.user_id = ?2
            """, [.integer(conversationID), .integer(userID)]) { row in
            Membership(conversationID: conversationID, type: ConversationType(rawValue: row.string(0)) ?? .group,
                       role: MemberRole(rawValue: row.string(1)) ?? .member, archived: row.bool(2),
                       adminsOnly: row.bool(3), mutedUntil: row.int64(4))
        }
    }

    /// Why this member may not post now, or nil: archived channels are read-only (409
    /// `channel_archived`), announcement channels take posts from the owner and admins only (403
    /// `posting_restricted`), and a muted member waits until the mute ends (403 `member_muted`).
    package func postingRefusal(now: Int64) -> APIError? {
        if archived { return .channelArchived }
        if adminsOnly && !role.manages {
            return APIError(403, "posting_restricted", "Only the owner and admins post in this channel.")
        }
        if mutedUntil > now { return APIError(403, "member_muted", "You are muted in this conversation.") }
        return nil
    }
}

extension APIError {
    /// A change to an archived channel, which is read-only until unarchived.
    package static let channelArchived = APIError(409, "channel_archived", "The channel is archived and read-only.")
}
