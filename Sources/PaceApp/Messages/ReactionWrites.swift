import PaceStore

/// Adding and removing reactions, on the writer. Both are idempotent: adding a reaction the
/// user already made, or removing one they did not, changes nothing and publishes nothing.
/// A message carries at most 20 distinct emoji (422 beyond); a deleted message's reactions
/// are frozen (409).
package enum ReactionWrites {
    package static let maximumDistinct = 20

    package static func add(_ db: any StoreTransaction, conversationID: Int64, messageID: Int64, userID: Int64, emoji: String,
                            now: Int64) throws(StoreError) -> Result<MessageChange?, APIError> {
        switch try target(db, conversationID: conversationID, messageID: messageID, userID: userID) {
        case .failure(let refusal): return .failure(refusal)
        case .success: break
        }
        let (distinct, present, mine) = try db.queryFirst("""
            SELECT count(DISTINCT emoji), coalesce(max(CASE WHEN emoji = ?2 THEN 1 ELSE 0 END), 0),
                   coalesce(max(CASE WHEN emoji = ?2 AND user_id = ?3 THEN 1 ELSE 0 END), 0)
            FROM reactions WHERE message_id = ?1
            """, [.integer(messageID), .text(emoji), .integer(userID)]) { ($0.int(0), $0.bool(1), $0.bool(2)) }
            ?? (0, false, false)
        if mine { return .success(nil) }
        guard present || distinct < maximumDistinct else {
            return .failure(.validation("emoji", "a message has at most \(maximumDistinct) distinct reactions"))
        }
        try db.run("INSERT INTO reactions (message_id, user_id, emoji, created_at) VALUES (?1, ?2, ?3, ?4)",
                    [.integer(messageID), .integer(userID), .text(emoji), .integer(now)])
        return try bump(db, conversationID: conversationID, messageID: messageID, userID: userID, emoji: emoji, added: true)
    }

    package static func remove(_ db: any StoreTransaction, conversationID: Int64, messageID: Int64, userID: Int64,
                               emoji: String) throws(StoreError) -> Result<MessageChange?, APIError> {
        switch try target(db, conversationID: conversationID, messageID: messageID, userID: userID) {
        case .failure(let refusal): return .failure(refusal)
        case .success: break
        }
        try db.run("DELETE FROM reactions WHERE message_id = ?1 AND emoji = ?2 AND user_id = ?3",
                   [.integer(messageID), .text(emoji), .integer(userID)])
        guard db.changes == 1 else { return .success(nil) }
        return try bump(db, conversationID: conversationID, messageID: messageID, userID: userID, emoji: emoji, added: false)
    }

    /// The reacting user must be a member and the message alive in this conversation.
    private static func target(_ db: any StoreTransaction, conversationID: Int64, messageID: Int64,
                               userID: Int64) throws(StoreError) -> Result<Void, APIError> {
        guard let membership = try Membership.find(db, conversationID: conversationID, userID: userID),
              let message = try MessageQueries.find(db, id: messageID, conversationID: conversationID) else {
            return .failure(.notFound)
        }
        guard !membership.archived else { return .failure(.channelArchived) }
        guard !message.deleted else { return .failure(.conflict("message_deleted", "The message was deleted.")) }
        return .success(())
    }

    /// Gives the message a fresh version for the change and builds the reaction event.
    private static func bump(_ db: any StoreTransaction, conversationID: Int64, messageID: Int64, userID: Int64, emoji: String,
                             added: Bool) throws(StoreError) -> Result<MessageChange?, APIError> {
        let version = try db.nextSequence()
        try db.run("UPDATE messages SET version = ?1 WHERE id = ?2", [.integer(version), .integer(messageID)])
        return try MessageWrites.changed(db, messageID, conversationID, created: false) { json in
            .reaction(conversationID: conversationID, messageID: messageID, emoji: emoji, userID: userID, added: added,
                      version: version, message: json)
        }.map { $0 }
    }
}
