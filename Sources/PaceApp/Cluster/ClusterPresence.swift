import Synchronization

/// Who is online on the other instances, as their heartbeats say. Every instance relays the
/// users it has sockets for every `interval` ms; an instance not heard from for `ttl` ms is
/// taken for dead, and those of its users online nowhere else are announced offline here.
/// (Presence travels on the bus rather than in Redis keys: the heartbeats are what a key
/// refresher would send anyway, and the expiry needs someone to announce it.)
package final class ClusterPresence: Sendable {
    private struct Instance {
        var users: [Int64: Presence]
        var heardAt: Int64
    }

    package let interval: Int64
    package let ttl: Int64
    private let instances = Mutex<[Int64: Instance]>([:])

    package init(interval: Int64 = 3000, ttl: Int64 = 10_000) {
        self.interval = interval
        self.ttl = ttl
    }

    /// A heartbeat of `instance`: the users with a socket there and their chosen presence.
    /// Returns the users it no longer reports that no other instance does either: if two
    /// instances each saw a user leave while the other still listed them, neither announced
    /// offline, so the first heartbeat without them does.
    func heard(_ instance: Int64, users: [Int64: Presence], now: Int64) -> [Int64] {
        instances.withLock { table in
            let before = table[instance]?.users ?? [:]
            table[instance] = Instance(users: users, heardAt: now)
            return before.keys.filter { user in users[user] == nil && !table.values.contains { $0.users[user] != nil } }
                .sorted()
        }
    }

    /// The presence `user` has on some other instance still alive, if any.
    package func presence(of user: Int64) -> Presence? {
        instances.withLock { table in table.values.lazy.compactMap { $0.users[user] }.first }
    }

    /// Forgets instances silent for longer than `ttl`; returns their users that no other
    /// instance still reports.
    func expire(now: Int64) -> [Int64] {
        instances.withLock { table in
            let dead = table.filter { now - $0.value.heardAt > ttl }
            guard !dead.isEmpty else { return [] }
            for id in dead.keys { table[id] = nil }
            let orphaned = Set(dead.values.flatMap { $0.users.keys })
            return orphaned.filter { user in !table.values.contains { $0.users[user] != nil } }.sorted()
        }
    }
}
