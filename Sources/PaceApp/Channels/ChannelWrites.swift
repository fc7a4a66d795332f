import PaceStore

/// Creating, joining and governing public channels, on the writer. Every refusal is decided
/// before the first change (see `StoreWork`). Each change to a channel or its members takes a
/// fresh `version` from the sequence (`touch`), which `?since=SEQ` replay reads.
package enum ChannelWrites {
    package static func create(_ db: any StoreTransaction, callerID: Int64, _ draft: ChannelDraft,
                               now: Int64) throws(StoreError) -> Result<ConversationChange, APIError> {
        let everyone = draft.memberIDs + [callerID]
        let known = Set(try db.query("SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?1))",
                                     [.text(MessageQueries.idList(everyone))], { $0.int64(0) }))
        let missing = everyone.filter { !known.contains($0) }
        guard missing.isEmpty else {
            return .failure(.validation(missing.map { .init(field: "member_ids", problem: "no such user: \($0)") }))
        }
        if let refusal = try nameTaken(db, draft.name, except: nil) { return .failure(refusal) }
        let seq = try db.nextSequence()
        guard let conversationID = try db.queryFirst("""
            INSERT INTO conversations (type, title, owner_id, created_at, last_activity_seq)
            VALUES ('group', ?1, ?2, ?3, ?4) RETURNING id
            """, [.text(draft.name), .integer(callerID), .integer(now), .integer(seq)], { $0.int64(0) }) else {
            return .failure(.internalError)
        }
        try db.run("""
            INSERT INTO channels (conversation_id, name, name_key, topic, purpose, admins_only, version)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """, [.integer(conversationID), .text(draft.name), .text(ChannelName.key(draft.name)), .text(draft.topic),
                  .text(draft.purpose), .integer(draft.adminsOnly ? 1 : 0), .integer(seq)])
        try ConversationWrites.insertMembers(db, conversationID: conversationID, userIDs: [callerID], role: .owner, now: now)
        try ConversationWrites.insertMembers(db, conversationID: conversationID, userIDs: draft.memberIDs, role: .member, now: now)
        return try ConversationWrites.change(db, conversationID: conversationID, callerID: callerID, created: true,
                                             removed: [], publish: true)
    }

    /// Joins a channel that is not archived; joining again changes nothing. Anything that is not
    /// a channel is 404, as private groups are not known to outsiders.
    package static func join(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64,
                             now: Int64) throws(StoreError) -> Result<ConversationChange, APIError> {
        guard let archived = try db.queryFirst("SELECT archived FROM channels WHERE conversation_id = ?1",
                                               [.integer(conversationID)], { $0.bool(0) }) else {
            return .failure(.notFound)
        }
        if try Membership.find(db, conversationID: conversationID, userID: callerID) != nil {
            return try ConversationWrites.change(db, conversationID: conversationID, callerID: callerID, created: false,
                                                 removed: [], publish: false)
        }
        guard !archived else { return .failure(.channelArchived) }
        let count = try db.queryFirst("SELECT count(*) FROM members WHERE conversation_id = ?1",
                                      [.integer(conversationID)]) { $0.int(0) } ?? 0
        guard count < ConversationRequests.maximumMembers else {
            return .failure(.conflict("conversation_full",
                                      "A channel has at most \(ConversationRequests.maximumMembers) members."))
        }
        try ConversationWrites.insertMembers(db, conversationID: conversationID, userIDs: [callerID], role: .member, now: now)
        try touch(db, conversationID: conversationID)
        return try ConversationWrites.change(db, conversationID: conversationID, callerID: callerID, created: true,
                                             removed: [], publish: true)
    }

    /// Name, topic, purpose and posting: the owner or an admin of a channel that is not archived.
    package static func update(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64,
                               _ settings: ChannelSettings) throws(StoreError) -> Result<ConversationChange, APIError> {
        switch try governed(db, conversationID: conversationID, callerID: callerID) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let membership) where membership.archived: return .failure(.channelArchived)
        case .success: break
        }
        if let name = settings.name, let refusal = try nameTaken(db, name, except: conversationID) {
            return .failure(refusal)
        }
        try db.run("""
            UPDATE channels SET name = COALESCE(?2, name), name_key = COALESCE(?3, name_key),
                   topic = COALESCE(?4, topic), purpose = COALESCE(?5, purpose),
                   admins_only = COALESCE(CAST(?6 AS BIGINT), admins_only)
            WHERE conversation_id = ?1
            """, [.integer(conversationID), settings.name.map { .text($0) } ?? .null,
                  settings.name.map { .text(ChannelName.key($0)) } ?? .null, settings.topic.map { .text($0) } ?? .null,
                  settings.purpose.map { .text($0) } ?? .null, settings.adminsOnly.map { .integer($0 ? 1 : 0) } ?? .null])
        if let name = settings.name {
            try db.run("UPDATE conversations SET title = ?1 WHERE id = ?2", [.text(name), .integer(conversationID)])
        }
        try touch(db, conversationID: conversationID)
        return try ConversationWrites.change(db, conversationID: conversationID, callerID: callerID, created: false,
                                             removed: [], publish: true)
    }

    /// Archives (read-only, hidden from discovery, history kept) or unarchives a channel.
    package static func setArchived(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64,
                                    _ archived: Bool) throws(StoreError) -> Result<ConversationChange, APIError> {
        if case .failure(let refusal) = try governed(db, conversationID: conversationID, callerID: callerID) {
            return .failure(refusal)
        }
        try db.run("UPDATE channels SET archived = ?1 WHERE conversation_id = ?2 AND archived <> ?1",
                   [.integer(archived ? 1 : 0), .integer(conversationID)])
        let changed = db.changes == 1
        if changed { try touch(db, conversationID: conversationID) }
        return try ConversationWrites.change(db, conversationID: conversationID, callerID: callerID, created: false,
                                             removed: [], publish: changed)
    }

    /// Mutes `userID` until `mutedUntil` (0 unmutes) and/or sets their role, in any group or
    /// channel: the owner mutes anyone but themself, an admin plain members only; only the owner
    /// makes a member an admin or an admin a member (the owner's own role never changes here).
    /// Every refusal is decided before the first write.
    package static func updateMember(_ db: any StoreTransaction, conversationID: Int64, callerID: Int64, userID: Int64,
                                     _ update: MemberUpdate) throws(StoreError) -> Result<ConversationChange, APIError> {
        guard let caller = try Membership.find(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        guard caller.type != .direct else { return .failure(.validation("user_id", "direct conversations have no moderators")) }
        guard let target = try Membership.find(db, conversationID: conversationID, userID: userID) else {
            return .failure(.notFound)
        }
        if update.role != nil {
            guard caller.role == .owner else { return .failure(.forbidden("Only the owner changes members' roles.")) }
            guard target.role != .owner else { return .failure(.forbidden("The owner's role cannot change.")) }
        }
        if update.mutedUntil != nil {
            switch (caller.role, target.role) {
            case (_, .owner): return .failure(.forbidden("The owner cannot be muted."))
            case (.owner, _), (.admin, .member): break
            default: return .failure(.forbidden("Only the owner mutes admins; only the owner or an admin mutes members."))
            }
        }
        if let role = update.role {
            try db.run("UPDATE members SET role = ?1 WHERE conversation_id = ?2 AND user_id = ?3",
                       [.text(role.rawValue), .integer(conversationID), .integer(userID)])
        }
        if let until = update.mutedUntil {
            try db.run("UPDATE members SET muted_until = ?1 WHERE conversation_id = ?2 AND user_id = ?3",
                       [.integer(until), .integer(conversationID), .integer(userID)])
        }
        try touch(db, conversationID: conversationID)
        return try ConversationWrites.change(db, conversationID: conversationID, callerID: callerID, created: false,
                                             removed: [], publish: true)
    }

    /// Gives a channel a fresh version after a change to it or its members; nothing for groups.
    static func touch(_ db: any StoreTransaction, conversationID: Int64) throws(StoreError) {
        guard try db.queryFirst("SELECT 1 FROM channels WHERE conversation_id = ?1", [.integer(conversationID)],
                                { _ in true }) ?? false else { return }
        try db.run("UPDATE channels SET version = ?1 WHERE conversation_id = ?2",
                   [.integer(try db.nextSequence()), .integer(conversationID)])
    }

    /// The caller's membership when they govern this channel: 404 outside it, 422 for anything
    /// but a channel, 403 for plain members.
    private static func governed(_ db: any StoreTransaction, conversationID: Int64,
                                 callerID: Int64) throws(StoreError) -> Result<Membership, APIError> {
        guard let membership = try Membership.find(db, conversationID: conversationID, userID: callerID) else {
            return .failure(.notFound)
        }
        guard membership.type == .channel else { return .failure(.validation("conversation", "is not a channel")) }
        guard membership.role.manages else { return .failure(.forbidden("Only the owner or an admin governs a channel.")) }
        return .success(membership)
    }

    private static func nameTaken(_ db: any StoreTransaction, _ name: String,
                                  except conversationID: Int64?) throws(StoreError) -> APIError? {
        let holder = try db.queryFirst("SELECT conversation_id FROM channels WHERE name_key = ?1",
                                       [.text(ChannelName.key(name))], { $0.int64(0) })
        guard let holder, holder != conversationID else { return nil }
        return .conflict("channel_name_taken", "A channel with this name (ignoring case) exists.")
    }
}
