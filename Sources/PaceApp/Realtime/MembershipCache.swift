import PaceStore
import Synchronization

/// Conversation members, cached for fan-out and kept current by `conversationUpdated`
/// events. Misses are read from the store on the hub thread, the only thread that fills it.
final class MembershipCache: Sendable {
    private let members = Mutex<[Int64: [Int64]]>([:])
    private let store: Store

    init(store: Store) {
        self.store = store
    }

    /// The members of `conversationID` (empty if it does not exist). Hub thread only.
    func members(of conversationID: Int64) -> [Int64] {
        if let cached = members.withLock({ $0[conversationID] }) { return cached }
        let loaded = (try? store.readNow { database throws(StoreError) in
            try database.query("SELECT user_id FROM members WHERE conversation_id = ?", [.integer(conversationID)]) {
                $0.int64(0)
            }
        }) ?? []
        // Unknown ids are not remembered: clients choose them, and the cache must not grow with them.
        if !loaded.isEmpty { members.withLock { $0[conversationID] = loaded } }
        return loaded
    }

    func update(_ conversationID: Int64, members updated: [Int64]) {
        members.withLock { $0[conversationID] = updated }
    }

    /// Everyone who shares a conversation with `userID`, themselves included. Hub thread only.
    func contacts(of userID: Int64) -> [Int64] {
        (try? store.readNow { database throws(StoreError) in
            try database.query("""
                SELECT DISTINCT other.user_id FROM members AS mine
                JOIN members AS other ON other.conversation_id = mine.conversation_id
                WHERE mine.user_id = ?
                """, [.integer(userID)]) { $0.int64(0) }
        }) ?? []
    }
}
