import PaceStore
import Synchronization

/// Conversation members, cached for fan-out and kept current by `conversationUpdated`
/// events. Misses are read from the store on the hub thread, the only thread that fills it.
final class MembershipCache: Sendable {
    private let members = Mutex<[Int64: [Int64]]>([:])
    private let store: any Store

    init(store: any Store) {
        self.store = store
    }

    /// The members of `conversationID` (empty if it does not exist). Hub thread only.
    func members(of conversationID: Int64) -> [Int64] {
        if let cached = members.withLock({ $0[conversationID] }) { return cached }
        let loaded = (try? store.readNow { database throws(StoreError) in
            try MembershipQueries.members(database, of: conversationID)
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
            try MembershipQueries.contacts(database, of: userID)
        }) ?? []
    }
}
