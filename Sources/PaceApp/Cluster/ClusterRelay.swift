import PaceLoop
import Synchronization

/// Where the hub sends frames that are not stored events (typing, presence, delivered
/// receipts) so that sockets on other instances get them too; nothing on a single instance.
package final class ClusterRelay: Sendable {
    package typealias Send = @Sendable ([SharedBytes], [Int64], Bool) -> Void
    private let target = Mutex<Send?>(nil)

    package init() {}

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
