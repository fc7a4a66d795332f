import PaceStore

/// Read markers: a member's `last_read_seq`, which only moves forward. Unread counts are the
/// messages above it that others sent and that are not deleted.
package enum ReadMarkers {
    /// Moves `userID`'s marker to `messageID`'s seq if that is further; returns the event to
    /// publish, nil when the marker did not move.
    package static func markRead(_ db: any StoreTransaction, conversationID: Int64, userID: Int64,
                                 messageID: Int64) throws(StoreError) -> Result<ChatEvent?, APIError> {
        guard try Membership.find(db, conversationID: conversationID, userID: userID) != nil else {
            return .failure(.notFound)
        }
        guard let message = try MessageQueries.find(db, id: messageID, conversationID: conversationID) else {
            return .failure(.validation("message_id", "must be a message of this conversation"))
        }
        guard try db.queryFirst("""
            SELECT 1 FROM members WHERE conversation_id = ?1 AND user_id = ?2 AND last_read_seq < ?3
            """, [.integer(conversationID), .integer(userID), .integer(message.seq)], { _ in true }) ?? false else {
            return .success(nil)
        }
        try db.run("""
            UPDATE members SET last_read_seq = ?1, read_version = ?4
            WHERE conversation_id = ?2 AND user_id = ?3 AND last_read_seq < ?1
            """, [.integer(message.seq), .integer(conversationID), .integer(userID), .integer(try db.nextSequence())])
        guard db.changes == 1 else { return .success(nil) }
        try UnreadCounters.recount(db, conversationID: conversationID, userIDs: [userID])
        return .success(.read(conversationID: conversationID, userID: userID, messageID: messageID, seq: message.seq))
    }
}
