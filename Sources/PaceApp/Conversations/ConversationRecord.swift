import PaceStore

package enum ConversationType: String, Sendable {
    case direct, group
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

    package var memberIDs: [Int64] { members.map(\.userID) }
}

/// A conversation as one member sees it: with its newest message and that member's unread count.
package struct ConversationView: Sendable {
    package var conversation: ConversationRecord
    package var lastMessage: MessageRecord?
    package var unreadCount: Int
}

/// The caller's membership in a conversation, what every conversation route checks first.
package struct Membership: Sendable {
    package var conversationID: Int64
    package var type: ConversationType
    package var role: MemberRole

    /// The caller's membership, or nil: the conversation does not exist for them (404).
    package static func find(_ db: any StoreTransaction, conversationID: Int64, userID: Int64) throws(StoreError) -> Membership? {
        try db.queryFirst("""
            SELECT c.type, m.role
            FROM members m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.conversation_id = ?1 AND m.user_id = ?2
            """, [.integer(conversationID), .integer(userID)]) { row in
            Membership(conversationID: conversationID, type: ConversationType(rawValue: row.string(0)) ?? .group,
                       role: MemberRole(rawValue: row.string(1)) ?? .member)
        }
    }
}
