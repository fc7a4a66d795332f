import PaceStore

extension APIError {
    static let banned = APIError(403, "banned", "The user is banned from this conversation.")
}

/// Per-conversation bans by the conversation's owner or admins: a banned user is removed and
/// cannot be added back until unbanned. The removal follows the membership rules (an admin
/// bans plain members only; nobody bans themselves or the owner).
package enum ConversationBans {
    /// Removes `userID` if a member (the event to publish) and records the ban.
    static func ban(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64, userID: Int64,
                    now: Int64) throws(StoreError) -> Result<ChatEvent?, APIError> {
        guard let caller = try Membership.find(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        guard caller.type == .group else { return .failure(.validation("user_id", "direct conversations have no bans")) }
        guard caller.role.manages else { return .failure(.forbidden("Only the owner or an admin may ban.")) }
        guard userID != callerID else { return .failure(.validation("user_id", "you cannot ban yourself")) }
        guard try ConversationWrites.userExists(db, userID) else { return .failure(.validation("user_id", "no such user")) }
        var event: ChatEvent?
        if let target = try Membership.find(db, conversationID: conversationID, userID: userID) {
            guard caller.role == .owner || target.role == .member else {
                return .failure(.forbidden("An admin may ban plain members only."))
            }
            switch try MembershipWrites.remove(db, conversationID: conversationID, callerID: callerID, userID: userID) {
            case .success(let removed): event = removed
            case .failure(let refused): return .failure(refused)
            }
        }
        try db.run("""
            INSERT INTO conversation_bans (conversation_id, user_id, banned_by, created_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (conversation_id, user_id) DO NOTHING
            """, [.integer(conversationID), .integer(userID), .integer(callerID), .integer(now)])
        return .success(event)
    }

    static func unban(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64,
                      userID: Int64) throws(StoreError) -> Result<Void, APIError> {
        guard let caller = try Membership.find(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        guard caller.role.manages else { return .failure(.forbidden("Only the owner or an admin may unban.")) }
        try db.run("DELETE FROM conversation_bans WHERE conversation_id = ?1 AND user_id = ?2",
                   [.integer(conversationID), .integer(userID)])
        return .success(())
    }

    /// Whether `userID` is banned from `conversationID`; adding members checks it.
    package static func isBanned(_ db: any StoreTransaction, conversationID: Int64, userID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT 1 FROM conversation_bans WHERE conversation_id = ?1 AND user_id = ?2",
                          [.integer(conversationID), .integer(userID)]) { $0.int64(0) } != nil
    }
}

/// `PUT/DELETE /api/v1/conversations/{id}/bans/{user_id}`.
enum ConversationBanRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.put, "/api/v1/conversations/{id}/bans/{user_id}", .authenticated(context) { request, reply, caller in
            guard let conversationID = ResourceID.parse(request.parameters[0]),
                  let userID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
            let now = context.now()
            context.commitAnswer(reply, { db throws(StoreError) in
                try ConversationBans.ban(db, conversationID: conversationID, callerID: caller.id, userID: userID, now: now)
            }, success: { _ in reply.noContent() })
        })
        router.add(.delete, "/api/v1/conversations/{id}/bans/{user_id}", .authenticated(context) { request, reply, caller in
            guard let conversationID = ResourceID.parse(request.parameters[0]),
                  let userID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
            context.writeAnswer(reply, { db throws(StoreError) in
                try ConversationBans.unban(db, conversationID: conversationID, callerID: caller.id, userID: userID)
            }, success: { _ in reply.noContent() })
        })
    }
}
