import PaceStore

/// Who belongs where, as the hub needs it for fan-out and presence.
enum MembershipQueries {
    /// The members of `conversationID` (empty if it does not exist).
    static func members(_ db: any StoreTransaction, of conversationID: Int64) throws(StoreError) -> [Int64] {
        try db.query("SELECT user_id FROM members WHERE conversation_id = ?", [.integer(conversationID)]) {
            $0.int64(0)
        }
    }

    /// Everyone who shares a conversation with `userID`, themselves included.
    static func contacts(_ db: any StoreTransaction, of userID: Int64) throws(StoreError) -> [Int64] {
        try db.query("""
            SELECT DISTINCT other.user_id FROM members AS mine
            JOIN members AS other ON other.conversation_id = mine.conversation_id
            WHERE mine.user_id = ?
            """, [.integer(userID)]) { $0.int64(0) }
    }
}
