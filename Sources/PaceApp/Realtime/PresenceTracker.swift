import Synchronization

/// Who is online, with how many connections and what status they chose. Several devices
/// per user are normal: a user is online while any connection is open.
package final class PresenceTracker: Sendable {
    private struct Entry {
        var connections: Int
        var chosen: Presence
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    package init() {}

    /// The presence others see for `userID`.
    package func presence(of userID: Int64) -> Presence {
        entries.withLock { $0[userID]?.chosen } ?? .offline
    }

    /// Whether `userID` has a WebSocket open here, whatever presence they chose.
    package func isConnected(_ userID: Int64) -> Bool {
        entries.withLock { $0[userID] != nil }
    }

    /// Every user with a connection here and the presence they chose (cluster heartbeats).
    package func snapshot() -> [Int64: Presence] {
        entries.withLock { $0.mapValues(\.chosen) }
    }

    /// Counts a new connection; returns the presence to announce if it changed.
    func connected(_ userID: Int64) -> Presence? {
        entries.withLock { table in
            if var entry = table[userID] {
                entry.connections += 1
                table[userID] = entry
                return nil
            }
            table[userID] = Entry(connections: 1, chosen: .online)
            return .online
        }
    }

    /// Counts a closed connection; true when it was the user's last one (now offline).
    func disconnected(_ userID: Int64) -> Bool {
        entries.withLock { table in
            guard var entry = table[userID] else { return false }
            entry.connections -= 1
            if entry.connections <= 0 {
                table[userID] = nil
                return true
            }
            table[userID] = entry
            return false
        }
    }

    /// Records a chosen status; returns it if it changed.
    func choose(_ presence: Presence, for userID: Int64) -> Presence? {
        entries.withLock { table in
            guard var entry = table[userID], entry.chosen != presence else { return nil }
            entry.chosen = presence
            table[userID] = entry
            return presence
        }
    }
}
