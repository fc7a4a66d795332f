import PaceStore

/// A stored change to a conversation: the caller's view of the result, for the REST answer,
/// and the event to publish once it is durable (nil when nothing changed).
package struct ConversationChange: Sendable {
    package var view: ConversationView
    package var created: Bool
    package var event: ChatEvent?
}

/// Creating and renaming conversations, on the writer. Every refusal is decided before the
/// first change (see `StoreWork`).
package enum ConversationWrites {
    /// Get-or-create: the UNIQUE `direct_key` decides inside the transaction, so racing creates
    /// of one pair, from either side, end with one conversation.
    package static func createDirect(_ db: any StoreTransaction, callerID: Int64, otherID: Int64,
                                     now: Int64) throws(StoreError) -> Result<ConversationChange, APIError> {
        guard try userExists(db, otherID) else { return .failure(.validation("member_ids[0]", "no such user")) }
        let key = "\(min(callerID, otherID)):\(max(callerID, otherID))"
        if callerID != otherID, try Blocks.between(db, callerID, otherID),
           try db.queryFirst("SELECT 1 FROM conversations WHERE direct_key = ?1", [.text(key)], { _ in true }) == nil {
            return .failure(Blocks.refusal)
        }
        let seq = try db.nextSequence()
        let inserted = try db.queryFirst("""
            INSERT INTO conversations (type, title, owner_id, created_at, last_activity_seq, direct_key)
            VALUES ('direct', NULL, ?1, ?2, ?3, ?4) ON CONFLICT (direct_key) DO NOTHING RETURNING id
            """, [.integer(callerID), .integer(now), .integer(seq), .text(key)]) { $0.int64(0) }
        let created = inserted != nil
        let conversationID: Int64
        if let inserted {
            conversationID = inserted
            let members = callerID == otherID ? [callerID] : [callerID, otherID]
            try insertMembers(db, conversationID: conversationID, userIDs: members, role: .member, now: now)
        } else {
            guard let existing = try db.queryFirst("SELECT id FROM conversations WHERE direct_key = ?1",
                                                   [.text(key)], { $0.int64(0) }) else { return .failure(.internalError) }
            conversationID = existing
        }
        return try change(db, conversationID: conversationID, callerID: callerID, created: created, removed: [],
                          publish: created)
    }

    /// A new group owned by the caller; unknown member ids are a 422 naming each.
    package static func createGroup(_ db: any StoreTransaction, callerID: Int64, title: String, memberIDs: [Int64],
                                    now: Int64) throws(StoreError) -> Result<ConversationChange, APIError> {
        let known = Set(try db.query("SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?1))",
                                     [.text(MessageQueries.idList(memberIDs + [callerID]))], { $0.int64(0) }))
        let missing = (memberIDs + [callerID]).filter { !known.contains($0) }
        guard missing.isEmpty else {
            return .failure(.validation(missing.map { .init(field: "member_ids", problem: "no such user: \($0)") }))
        }
        let seq = try db.nextSequence()
        guard let conversationID = try db.queryFirst("""
            INSERT INTO conversations (type, title, owner_id, created_at, last_activity_seq)
            VALUES ('group', ?1, ?2, ?3, ?4) RETURNING id
            """, [.text(title), .integer(callerID), .integer(now), .integer(seq)], { $0.int64(0) }) else {
            return .failure(.internalError)
        }
        try insertMembers(db, conversationID: conversationID, userIDs: [callerID], role: .owner, now: now)
        try insertMembers(db, conversationID: conversationID, userIDs: memberIDs, role: .member, now: now)
        return try change(db, conversationID: conversationID, callerID: callerID, created: true, removed: [],
                          publish: true)
    }

    /// Renames a group: owner or admin only (403 for members); direct conversations have no
    /// title (422).
    package static func rename(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64,
                               title: String) throws(StoreError) -> Result<ConversationChange, APIError> {
        guard let membership = try Membership.find(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        guard membership.type == .group else {
            let problem = membership.type == .direct ? "direct conversations have no title"
                : "channels are renamed through PATCH /conversations/{id}/channel"
            return .failure(.validation("title", problem))
        }
        guard membership.role.manages else { return .failure(.forbidden("Only the owner or an admin may rename a group.")) }
        try db.run("UPDATE conversations SET title = ?1 WHERE id = ?2 AND title IS DISTINCT FROM ?1",
                   [.text(title), .integer(conversationID)])
        return try change(db, conversationID: conversationID, callerID: callerID, created: false, removed: [],
                          publish: db.changes == 1)
    }

    static func userExists(_ db: any StoreTransaction, _ userID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT 1 FROM users WHERE id = ?1", [.integer(userID)]) { _ in true } ?? false
    }

    static func insertMembers(_ db: any StoreTransaction, conversationID: Int64, userIDs: [Int64], role: MemberRole,
                              now: Int64) throws(StoreError) {
        guard !userIDs.isEmpty else { return }
        try db.run("""
            INSERT INTO members (conversation_id, user_id, role, joined_at)
            SELECT ?1, value, ?2, ?3 FROM json_each(?4)
            """, [.integer(conversationID), .text(role.rawValue), .integer(now), .text(MessageQueries.idList(userIDs))])
        // A marker at 0 has all history above it: the counters start from it (a re-joining
        // member may have messages of their own there).
        try UnreadCounters.recount(db, conversationID: conversationID, userIDs: userIDs)
    }

    /// The caller's view after a change, and the change's event when `publish`.
    static func change(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64, created: Bool, removed: [Int64],
                       publish: Bool) throws(StoreError) -> Result<ConversationChange, APIError> {
        guard let view = try ConversationQueries.view(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        let event = publish ? ChatEvent.conversationUpdated(
            conversationID: conversationID, memberIDs: view.conversation.memberIDs, removedIDs: removed,
            conversation: ConversationEncoder.encodeShared(view.conversation, lastMessage: view.lastMessage)) : nil
        return .success(ConversationChange(view: view, created: created, event: event))
    }
}
