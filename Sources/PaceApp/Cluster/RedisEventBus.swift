import PaceLoop
import PaceRedis
import PaceSystem
import Synchronization

/// The event bus of a cluster: every instance delivers its own committed events at once and
/// PUBLISHes them, and hears every other instance's on the same Redis channel.
///
/// One channel, `pace:events` (`PACE_REDIS_CHANNEL` may rename it), not one per shard:
/// every instance has members of every conversation, so each would subscribe to every shard
/// anyway, and one channel is one order, which the continuity check below relies on.
/// At chat rates Redis relays hundreds of thousands of small messages a second on a single
/// channel, far beyond what the database behind it commits.
///
/// Continuity: each message carries its instance's id and a counter, and an instance that
/// published events follows them within a tick (5 ms) with a bare counter message, so a lost
/// event shows as a skipped counter while the events after it are still held in the
/// `ReorderWindow` (25 ms). A skipped counter (Redis dropped a slow subscriber, a publisher's
/// connection dropped with messages in flight) or a subscription that had to be re-established
/// (Redis stopped or restarted) opens a gap: the window stops releasing, the keyed changes
/// committed since the gap opened are read from the store (`ClusterHooks.catchUp`, on a
/// store thread), those not delivered yet join the window, and delivery resumes in key
/// order; whatever comes both from the store and from Redis is delivered once
/// (`ClusterLedger`). Only when the store cannot fill the gap (too long ago or too large, a
/// store failure, or a missed change older than one already delivered in its conversation)
/// does `continuityLost` run, and the server closes its sockets with 4000 so clients resume
/// with `since`. Events from all instances pass through the window, so two instances
/// committing to one conversation a moment apart are delivered in commit order.
package final class RedisEventBus: EventBus {
    package let instance: UInt64
    let publisher: RedisClient
    let listener: RedisClient
    private let channel: [UInt8]
    let subscribers = Mutex<[Subscriber]>([])
    private let counter = Mutex<Int64>(0)
    let state: ListenerState
    let hooks = Mutex<ClusterHooks>(ClusterHooks())
    private let loops: EventLoopGroup
    /// Events were published since the last bare counter message.
    private let needsTick = Atomic<Bool>(false)
    let options: ClusterOptions
    /// Gaps filled, events filled, resyncs: for /metrics.
    package var statistics: ClusterStatistics { state.statistics }
    /// Who is online on the other instances (heartbeats every 3 s, dead after 10 s).
    package let presence = ClusterPresence()

    /// Connects to `url` on a loop of its own; `hold` is the reorder window in ms.
    package init(url: RedisURL, channel: String = "pace:events", hold: Int64 = 25,
                 options: ClusterOptions = ClusterOptions()) throws(SystemError) {
        self.options = options
        instance = UInt64.random(in: 1...UInt64.max)
        self.channel = Array(channel.utf8)
        loops = try EventLoopGroup(count: 1) { _ in }
        let loop = loops.loops[0]
        let dialer = try BlockingPool(threads: 1, name: "pace-redis-dial")
        publisher = RedisClient(url: url, loop: loop, dialer: dialer)
        listener = RedisClient(url: url, loop: loop, dialer: dialer, subscriber: true)
        state = ListenerState(window: ReorderWindow(hold: hold))
        listener.onConnect = { [listener, channel = self.channel] in
            listener.send([Array("SUBSCRIBE".utf8), channel])
        }
        listener.onPush = { [weak self] value in self?.heard(value) }
        listener.onDisconnect = { [state] in
            state.subscribed = false
            if state.outageFrom == nil { state.outageFrom = state.lastHeardAt }
        }
        publisher.start()
        listener.start()
        loop.execute { [weak self] in
            self?.schedule(on: loop)
            self?.beat(on: loop)
            self?.sweep(on: loop)
        }
    }

    /// Both connections are up and hearing from Redis: what `/readyz` reports.
    package var isReady: Bool { publisher.isReady && listener.isReady && state.subscribedFlag.load(ordering: .relaxed) }

    /// Installs what the cluster needs from the server once it exists.
    package func install(_ configure: (inout ClusterHooks) -> Void) {
        hooks.withLock { configure(&$0) }
    }

    package func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.withLock { $0.append(subscriber) }
    }

    package func publish(_ event: ChatEvent, origin: UInt64?) {
        let now = Clock.monotonicNanoseconds() / 1_000_000
        let loop = publisher.loop
        send(kind: ClusterMessageKind.event, before: { number in
            loop.execute { [state] in state.window.add(event, origin: origin, now: now, echo: number) }
        }, { ChatEventWire.encode(event, into: &$0) })
        needsTick.store(true, ordering: .relaxed)
    }

    /// The store's sequence when this instance began: the gap fill never reads below it.
    package func begin(sequence: Int64) {
        publisher.loop.execute { [state, loop = publisher.loop] in state.ledger.start(sequence: sequence, now: loop.now) }
    }

    /// A bare counter message after published events, so that the others notice a lost one
    /// within a tick instead of at the next heartbeat.
    func tick() {
        guard needsTick.exchange(false, ordering: .relaxed) else { return }
        send(kind: ClusterMessageKind.tick) { _ in }
    }

    /// Ephemeral frames (typing, presence, delivered receipts) for `users` on other instances.
    package func relay(_ frames: [SharedBytes], to users: [Int64], droppable: Bool) {
        send(kind: ClusterMessageKind.frames) { writer in
            writer.int(Int64(frames.count))
            for frame in frames { writer.blob(Array(frame.bytes)) }
            writer.ints(users)
            writer.byte(droppable ? 1 : 0)
        }
    }

    /// A login session revoked here, to be revoked everywhere.
    package func relayRevocation(family: String) {
        send(kind: ClusterMessageKind.revoke) { $0.text(family) }
    }

    /// Closes both connections, then stops the bus's loop. Not on that loop.
    package func shutdown() {
        publisher.stop()
        listener.stop()
        let closed = CountdownLatch(count: 1)
        publisher.loop.execute { closed.countDown() }
        closed.wait()
        loops.stopAndJoin()
    }

    /// Numbers and sends under one lock, so counters reach the publisher's loop in order.
    func send(kind: UInt8, before: (Int64) -> Void = { _ in }, _ body: (inout WireWriter) -> Void) {
        counter.withLock { counter in
            counter += 1
            before(counter)
            var writer = WireWriter()
            writer.int(Int64(bitPattern: instance))
            writer.int(counter)
            writer.byte(kind)
            body(&writer)
            publisher.send([Array("PUBLISH".utf8), channel, writer.bytes])
        }
    }

    // MARK: Presence

    /// Sends a heartbeat now: a user left this instance, and the others should know before
    /// they decide whether that user's last socket elsewhere means offline.
    package func beatSoon() {
        publisher.loop.execute { [weak self] in self?.sendBeat() }
    }

    private func beat(on loop: EventLoop) {
        sendBeat()
        _ = loop.schedule(after: presence.interval) { [weak self] in self?.beat(on: loop) }
    }

    private func sendBeat() {
        if let users = hooks.withLock({ $0 }).localPresence?() {
            let ordered = users.sorted { $0.key < $1.key }
            send(kind: ClusterMessageKind.presence) { writer in
                writer.ints(ordered.map(\.key))
                for (_, presence) in ordered { writer.text(presence.rawValue) }
            }
        }
    }

    private func sweep(on loop: EventLoop) {
        state.ledger.prune(now: loop.now)
        let gone = presence.expire(now: loop.now)
        if !gone.isEmpty { hooks.withLock { $0 }.presenceExpired?(gone) }
        _ = loop.schedule(after: 1000) { [weak self] in self?.sweep(on: loop) }
    }

}

/// What the bus calls into the server with, installed after the hub exists.
package struct ClusterHooks: Sendable {
    /// Frames another instance relayed: deliver to local sockets of the users.
    package var frames: (@Sendable ([SharedBytes], [Int64], Bool) -> Void)?
    /// A login session revoked on another instance.
    package var revoke: (@Sendable (String) -> Void)?
    /// Events may have been missed: make every client resume with `since`.
    package var continuityLost: (@Sendable () -> Void)?
    /// The users with a socket here and their chosen presence, for the heartbeat.
    package var localPresence: (@Sendable () -> [Int64: Presence])?
    /// Users last seen on an instance that went silent, online nowhere else now.
    package var presenceExpired: (@Sendable ([Int64]) -> Void)?
    /// Reads from the store the keyed events above `after` (nil when it cannot: too many, or a
    /// failure), and re-applies the revocations of the last `lookback` ms; `done` may run on
    /// any thread.
    package var catchUp: (@Sendable (_ after: Int64, _ lookback: Int64,
                                     _ done: @escaping @Sendable ([ChatEvent]?) -> Void) -> Void)?

    package init() {}
}

enum ClusterMessageKind {
    static let event: UInt8 = 1
    static let frames: UInt8 = 2
    static let revoke: UInt8 = 3
    static let presence: UInt8 = 4
    /// Nothing but the counter: events went out just before.
    static let tick: UInt8 = 5
}
