import PaceLoop
import PaceSystem
import Synchronization

/// Where the hub sends frames that are not stored events (typing, presence, delivered
/// receipts) so that sockets on other instances get them too; nothing on a single instance.
package final class ClusterRelay: Sendable {
    package typealias Send = @Sendable ([SharedBytes], [Int64], Bool) -> Void
    private let target = Mutex<Send?>(nil)
    private let elsewhere = Mutex<(@Sendable (Int64) -> Bool)?>(nil)

    package init() {}

    /// Tells the hub whether a user is still online on another instance.
    package func install(elsewhere lookup: @escaping @Sendable (Int64) -> Bool) {
        elsewhere.withLock { $0 = lookup }
    }

    /// True when another live instance reports `user` online: leaving here is not offline.
    /// Asking means the user just left here, so the others hear a heartbeat at once.
    func isOnlineElsewhere(_ user: Int64) -> Bool {
        elsewhere.withLock { $0 }?(user) ?? false
    }

    package func install(_ send: @escaping Send) {
        target.withLock { $0 = send }
    }

    func relay(_ frames: [SharedBytes], to users: [Int64], droppable: Bool) {
        guard !users.isEmpty, !frames.isEmpty, let send = target.withLock({ $0 }) else { return }
        send(frames, users, droppable)
    }
}

extension Hub {
    /// Frames relayed by another instance, for the sockets here (never relayed again).
    package func deliverRelayed(_ frames: [SharedBytes], to users: [Int64], droppable: Bool) {
        submit { [self] in broadcast(frames, to: users, droppable: droppable) }
    }

    /// Announces offline the users of an instance that went silent, unless they have a socket here.
    package func announceExpired(_ users: [Int64]) {
        submit { [self] in
            let now = Clock.wallMilliseconds()
            for user in users where presence.presence(of: user) == .offline {
                run(.presence(user: user, .offline, lastSeenAt: now))
            }
        }
    }

    /// Closes every socket with 4000 so clients resume with `since`: this instance may have
    /// missed events another one committed.
    package func resyncAll() {
        submit { [self] in
            membership.removeAll()
            statistics.resyncs.add(1, ordering: .relaxed)
            closeAllSockets { $0.closeForResync() }
        }
    }
}

extension Hub {
    /// Membership may have changed in events this instance missed: reload it from the store.
    package func forgetMembership() {
        submit { [self] in membership.removeAll() }
    }
}
