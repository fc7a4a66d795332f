import PaceStore

/// Adding and removing group members, on the writer. Rules: owners and admins add members;
/// only the owner adds admins. The owner removes anyone; an admin removes plain members only;
/// anyone may remove themselves (leave). An owner who leaves hands ownership to the oldest
/// admin, else the oldest member (ties: lowest user id). When the last member leaves the
/// conversation is kept, with its messages, and is visible to no one. Direct conversations
/// have fixed members (422).
package enum MembershipWrites {
    package static func add(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64, userID: Int64, role: MemberRole,
                            now: Int64) throws(StoreError) -> Result<ConversationChange, APIError> {
        guard let caller = try Membership.find(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        guard caller.type != .direct else { return .failure(.validation("user_id", "direct conversations have fixed members")) }
        guard !caller.archived else { return .failure(.channelArchived) }
        guard caller.role.manages else { return .failure(.forbidden("Only the owner or an admin may add members.")) }
        guard role != .admin || caller.role == .owner else { return .failure(.forbidden("Only the owner may add admins.")) }
        guard try ConversationWrites.userExists(db, userID) else { return .failure(.validation("user_id", "no such user")) }
        if try ConversationBans.isBanned(db, conversationID: conversationID, userID: userID) { return .failure(.banned) }
        guard try Membership.find(db, conversationID: conversationID, userID: userID) == nil else {
            return .failure(.conflict("already_member", "The user is already a member."))
        }
        let count = try db.queryFirst("SELECT count(*) FROM members WHERE conversation_id = ?1",
                                      [.integer(conversationID)]) { $0.int(0) } ?? 0
        guard count < ConversationRequests.maximumMembers else {
            return .failure(.conflict("conversation_full",
                                      "A group has at most \(ConversationRequests.maximumMembers) members."))
        }
        try ConversationWrites.insertMembers(db, conversationID: conversationID, userIDs: [userID], role: role, now: now)
        try ChannelWrites.touch(db, conversationID: conversationID)
        return try ConversationWrites.change(db, conversationID: conversationID, callerID: callerID, created: false,
                                             removed: [], publish: true)
    }

    /// Removes `userID`; returns the event to publish.
    package static func remove(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64,
                               userID: Int64) throws(StoreError) -> Result<ChatEvent, APIError> {
        guard let caller = try Membership.find(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        guard caller.type != .direct else { return .failure(.validation("user_id", "direct conversations have fixed members")) }
        guard let target = try Membership.find(db, conversationID: conversationID, userID: userID) else {
            return .failure(.notFound)
        }
        if userID != callerID {
            switch caller.role {
            case .owner: break
            case .admin where target.role == .member: break
            case .admin: return .failure(.forbidden("An admin may remove plain members only."))
            case .member: return .failure(.forbidden("Only the owner or an admin may remove members."))
            }
        }
        try db.run("DELETE FROM members WHERE conversation_id = ?1 AND user_id = ?2",
                   [.integer(conversationID), .integer(userID)])
        if target.role == .owner { try handOverOwnership(db, conversationID: conversationID) }
        try ChannelWrites.touch(db, conversationID: conversationID)
        guard let (conversation, lastMessage) = try ConversationQueries.shared(db, conversationID: conversationID) else {
            return .failure(.notFound)
        }
        return .success(.conversationUpdated(
            conversationID: conversationID, memberIDs: conversation.memberIDs, removedIDs: [userID],
            conversation: ConversationEncoder.encodeShared(conversation, lastMessage: lastMessage)))
    }

    private static func handOverOwnership(_ db: any StoreTransaction, conversationID: Int64) throws(StoreError) {
        guard let heir = try db.queryFirst("""
            SELECT user_id FROM members WHERE conversation_id = ?1
            ORDER BY role <> 'admin', joined_at, user_id LIMIT 1
            """, [.integer(conversationID)], { $0.int64(0) }) else { return }
        try db.run("UPDATE members SET role = 'owner' WHERE conversation_id = ?1 AND user_id = ?2",
                   [.integer(conversationID), .integer(heir)])
        try db.run("UPDATE conversations SET owner_id = ?1 WHERE id = ?2", [.integer(heir), .integer(conversationID)])
    }
}
