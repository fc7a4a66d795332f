import Synchronization

/// Conversation members, cached for fan-out and kept current by `conversationUpdated`
/// events. It never reads the store: the hub looks misses up off its thread (`Hub.run`) and
/// remembers them here.
final class MembershipCache: Sendable {
    private let members = Mutex<[Int64: [Int64]]>([:])

    /// The cached members of `conversationID`, nil on a miss.
    func cached(_ conversationID: Int64) -> [Int64]? {
        members.withLock { $0[conversationID] }
    }

    /// Keeps a looked-up member list. Empty lists are not remembered: clients choose the ids,
    /// and the cache must not grow with unknown ones.
    func remember(_ conversationID: Int64, members loaded: [Int64]) {
        guard !loaded.isEmpty else { return }
        members.withLock { $0[conversationID] = $0[conversationID] ?? loaded }
    }

    func update(_ conversationID: Int64, members updated: [Int64]) {
        members.withLock { $0[conversationID] = updated }
    }

    func removeAll() {
        members.withLock { $0.removeAll() }
    }
}
