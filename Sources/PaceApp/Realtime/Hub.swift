import PaceLoop
import PaceStore
import PaceSystem
import Synchronization

/// The connection hub: which user is connected on which loop, and the fan-out of every
/// chat event to the sockets of the users it concerns. Events are processed in publication
/// order on one hub thread (so every member sees one conversation in one order); each is
/// encoded once and handed to each loop with a single `execute`.
package final class Hub: Sendable {
    package let presence = PresenceTracker()
    package let statistics = HubStatistics()
    /// Stores the missed-call message of a call nobody answered.
    package let missedCalls = MissedCallRecorder()
    /// Ephemeral frames for other instances of a cluster.
    package let relay = ClusterRelay()
    let configuration: RealtimeConfiguration
    let membership: MembershipCache
    private let serial: BlockingPool
    private let loopHubs = Mutex<[LoopHubBox]>([])
    let store: any Store
    private let sessions = Atomic<UInt64>(0)
    private let threadState = HubThreadState()
    /// Hub thread only.
    var deliveries: DeliveryLedger { threadState.deliveries }
    /// Hub thread only.
    var pipeline: HubPipelineState { threadState.pipeline }
    /// Hub thread only.
    var calls: CallTable { threadState.calls }
    /// Hub thread only.
    var reads: ReadReceiptBuffer { threadState.reads }

    /// Subscribes to `events`; each event is handled on the hub thread in publication order.
    package init(store: any Store, events: any EventBus, configuration: RealtimeConfiguration) throws(SystemError) {
        self.store = store
        self.configuration = configuration
        membership = MembershipCache()
        serial = try BlockingPool(threads: 1, name: "pace-hub")
        events.subscribe { [unowned self] event, origin in
            // Publication follows the commit at once, on the thread that heard it was durable.
            let committedAt = Clock.monotonicNanoseconds()
            submit { [unowned self] in run(.event(event, origin: origin, committedAt: committedAt)) }
        }
    }

    /// Binds the hub to the server's loops; sockets are refused until then.
    package func attach(loops: [EventLoop]) {
        loopHubs.withLock { $0 = loops.map { LoopHubBox(hub: LoopHub(loop: $0, statistics: statistics)) } }
    }

    package func shutdown() {
        serial.shutdown()
    }

    func nextSessionID() -> UInt64 {
        sessions.add(1, ordering: .relaxed).newValue
    }

    /// False until `attach`: the upgrade route refuses sockets meanwhile.
    var isAttached: Bool { loopHubs.withLock { !$0.isEmpty } }

    /// The hub of `loop`; call on that loop's thread.
    func loopHub(for loop: EventLoop) -> LoopHub? {
        loopHubs.withLock { hubs in hubs.indices.contains(loop.index) ? hubs[loop.index].hub : nil }
    }

    /// Runs `work` on the hub thread, after every event already submitted.
    func submit(_ work: @escaping @Sendable () -> Void) {
        serial.submit(work)
    }

    /// Hands `frame` to every loop for the sockets of `users`. Hub thread.
    func broadcast(_ frame: SharedBytes, to users: [Int64], except session: UInt64? = nil, droppable: Bool = false) {
        broadcast([frame], to: users, except: session, droppable: droppable)
    }

    /// Several frames for the same users, with one `execute` per loop.
    func broadcast(_ frames: [SharedBytes], to users: [Int64], except session: UInt64? = nil, droppable: Bool = false) {
        guard !users.isEmpty, !frames.isEmpty else { return }
        for box in loopHubs.withLock({ $0 }) {
            box.hub.loop.execute {
                for frame in frames { box.hub.deliver(frame, to: users, except: session, droppable: droppable) }
            }
        }
    }

    /// Like `broadcast` for a stored change: never dropped, tagged with its `version`, timed
    /// from `committedAt` (monotonic ns) until written, and `reached` hears, per loop, which
    /// users had a socket there.
    /// `scope` names the conversation of a new message, whose seed-002 sockets get it too.
    func deliver(_ frame: SharedBytes, to users: [Int64], except session: UInt64? = nil, version: Int64,
                 committedAt: Int64, scope: Int64? = nil, reached: (@Sendable ([Int64]) -> Void)? = nil) {
        guard !users.isEmpty else { return }
        for box in loopHubs.withLock({ $0 }) {
            box.hub.loop.execute {
                let reachedUsers = box.hub.deliver(frame, to: users, except: session, droppable: false, version: version,
                                                   committedAt: committedAt, wantsReached: reached != nil)
                if let scope { box.hub.deliverScoped(frame, conversation: scope, members: users) }
                if let reached, !reachedUsers.isEmpty { reached(reachedUsers) }
            }
        }
    }

    /// `deliver` for an encrypted message: a socket whose declared device is in `frames` (and
    /// belongs to its user) gets that device's frame, every other socket `fallback`.
    func deliverEncrypted(_ fallback: SharedBytes, _ frames: [Int64: DeviceFrame], to users: [Int64], except session: UInt64?,
                          version: Int64, committedAt: Int64, scope: Int64, reached: (@Sendable ([Int64]) -> Void)?) {
        guard !users.isEmpty else { return }
        for box in loopHubs.withLock({ $0 }) {
            box.hub.loop.execute {
                let reachedUsers = box.hub.deliverEncrypted(fallback, frames, to: users, except: session, version: version,
                                                            committedAt: committedAt)
                box.hub.deliverScoped(fallback, conversation: scope, members: users)
                if let reached, !reachedUsers.isEmpty { reached(reachedUsers) }
            }
        }
    }

    /// Sends `frame` to those sockets of `user` that `accepts` (called on their loop). Any thread.
    func send(_ frame: SharedBytes, to user: Int64, where accepts: @escaping @Sendable (ChatSocket) -> Bool) {
        for box in loopHubs.withLock({ $0 }) {
            box.hub.loop.execute { box.hub.send(frame, to: user, where: accepts) }
        }
    }

    // MARK: Connections

    /// A socket finished its handshake (its loop thread).
    func opened(_ socket: ChatSocket) {
        let user = socket.user.id
        submit { [self] in
            guard let presence = presence.connected(user) else { return }
            announce(user, presence, lastSeenAt: nil)
        }
    }

    /// A socket is gone (its loop thread).
    func closed(_ socket: ChatSocket) {
        let user = socket.user.id
        submit { [self] in
            guard presence.disconnected(user) else { return }
            // Still connected to another instance of a cluster: not offline.
            if relay.isOnlineElsewhere(user) { return }
            let now = Clock.wallMilliseconds()
            store.write({ database throws(StoreError) in
                try UserQueries.recordLastSeen(id: user, at: now, in: database)
            }, completion: { _ in })
            announce(user, .offline, lastSeenAt: now)
        }
    }

    func choose(_ chosen: Presence, for user: Int64) {
        submit { [self] in
            guard let presence = presence.choose(chosen, for: user) else { return }
            announce(user, presence, lastSeenAt: nil)
        }
    }

    private func announce(_ user: Int64, _ presence: Presence, lastSeenAt: Int64?) {
        run(.presence(user: user, presence, lastSeenAt: lastSeenAt))
    }

    /// Forwards a typing start or stop to the conversation's other members (socket loop thread).
    func typing(in conversation: Int64, by user: Int64, start: Bool, notMember: @escaping @Sendable () -> Void) {
        submit { [self] in run(.typing(conversation: conversation, user: user, start: start, notMember: notMember)) }
    }

    /// Reads what `user` missed after `since` on a reader thread (nil: too much to replay).
    func replay(for user: Int64, since: Int64, device: Int64?,
                completion: @escaping @Sendable (Result<[Replay.Item]?, StoreError>) -> Void) {
        store.read({ database throws(StoreError) in try Replay.items(database, userID: user, since: since, device: device) },
                   completion: completion)
    }

    /// Closes every socket of a revoked login session with 4001.
    package func revoke(family: String) {
        closeAllSockets { socket in
            if socket.user.family == family { socket.closeForExpiredToken() }
        }
    }

    /// Closes every socket of a deactivated user with 4003.
    package func deactivate(user: Int64) {
        closeAllSockets { socket in
            if socket.user.id == user { socket.closeForDeactivation() }
        }
    }

    /// Runs `close` for every socket, on its loop.
    func closeAllSockets(_ close: @escaping @Sendable (ChatSocket) -> Void) {
        for box in loopHubs.withLock({ $0 }) {
            box.hub.loop.execute {
                for socket in box.hub.allSockets { close(socket) }
            }
        }
    }

    /// A loop for timers, once attached.
    var anyLoop: EventLoop? { loopHubs.withLock { $0.first?.hub.loop } }
}

/// A loop's hub, carried to other threads only to be used inside that loop's `execute`.
/// `@unchecked Sendable`: the LoopHub is only ever touched on its own loop thread.
struct LoopHubBox: @unchecked Sendable {
    let hub: LoopHub
}

/// State only the hub thread touches.
/// `@unchecked Sendable`: every access happens on the single hub thread (`submit`).
private final class HubThreadState: @unchecked Sendable {
    let deliveries = DeliveryLedger()
    let pipeline = HubPipelineState()
    let calls = CallTable()
    let reads = ReadReceiptBuffer()
}
