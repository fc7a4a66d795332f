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
/// Continuity: each message carries its instance's id and a counter. A counter that skips
/// (Redis dropped a slow subscriber, or the publisher's backlog overflowed during an
/// outage), or a subscription that had to be re-established, means this instance may have
/// missed events: `onContinuityLost` runs, and the server closes its sockets with 4000 so
/// clients resume with `since` from the database, which holds everything committed.
/// Events from all instances pass through a `ReorderWindow` before the hub, so two
/// instances committing to one conversation a moment apart are delivered in commit order.
package final class RedisEventBus: EventBus {
    package let instance: UInt64
    let publisher: RedisClient
    let listener: RedisClient
    private let channel: [UInt8]
    private let subscribers = Mutex<[Subscriber]>([])
    private let counter = Mutex<Int64>(0)
    private let state: ListenerState
    private let hooks = Mutex<ClusterHooks>(ClusterHooks())
    private let loops: EventLoopGroup
    /// Who is online on the other instances (heartbeats every 3 s, dead after 10 s).
    package let presence = ClusterPresence()

    /// Connects to `url` on a loop of its own; `hold` is the reorder window in ms.
    package init(url: RedisURL, channel: String = "pace:events", hold: Int64 = 25) throws(SystemError) {
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
        listener.onDisconnect = { [state] in state.subscribed = false }
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
    private func send(kind: UInt8, before: (Int64) -> Void = { _ in }, _ body: (inout WireWriter) -> Void) {
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
        let gone = presence.expire(now: loop.now)
        if !gone.isEmpty { hooks.withLock { $0 }.presenceExpired?(gone) }
        _ = loop.schedule(after: 1000) { [weak self] in self?.sweep(on: loop) }
    }

    // MARK: Listener loop

    private func schedule(on loop: EventLoop) {
        _ = loop.schedule(after: 5) { [weak self] in
            guard let self else { return }
            release(now: loop.now)
            schedule(on: loop)
        }
    }

    private func release(now: Int64) {
        guard !state.window.isEmpty else { return }
        // Own events pile up here while Redis is unreachable; past this, clients resume instead.
        if state.window.count > 100_000 { return continuityLost("too many events waiting for redis") }
        let subscribers = subscribers.withLock { $0 }
        for entry in state.window.due(now: now) {
            for subscriber in subscribers { subscriber(entry.event, entry.origin) }
        }
    }

    private func heard(_ value: RESPValue) {
        guard case .array(let parts) = value, parts.count >= 3, let kind = parts[0].text else { return }
        switch kind {
        case "subscribe":
            let resumed = state.everSubscribed
            state.subscribed = true
            state.everSubscribed = true
            if resumed { continuityLost("redis subscription re-established") }
        case "message":
            guard let payload = parts[2].bytes else { return }
            received(payload)
        default:
            return
        }
    }

    private func received(_ payload: [UInt8]) {
        var reader = WireReader(payload)
        guard let sender = reader.int(), let number = reader.int(), let kind = reader.byte() else { return }
        if UInt64(bitPattern: sender) == instance {
            // Our own message: proof the subscription is live up to it. A skipped number
            // means a PUBLISH of ours was lost with a dropped connection.
            if let last = state.ownEcho, number != last + 1 { continuityLost("a publish of this instance was lost") }
            state.ownEcho = number
            state.window.echoed(number)
            return
        }
        if let last = state.counters[sender], number != last + 1 {
            continuityLost("events from another instance were missed")
        }
        state.counters[sender] = number
        let hooks = hooks.withLock { $0 }
        switch kind {
        case ClusterMessageKind.event:
            guard let event = ChatEventWire.decode(&reader) else { return }
            state.window.add(event, origin: nil, now: publisher.loop.now)
        case ClusterMessageKind.frames:
            guard let count = reader.int(), count >= 0, count < 1024 else { return }
            var frames: [SharedBytes] = []
            for _ in 0..<count {
                guard let bytes = reader.blob() else { return }
                frames.append(SharedBytes(bytes))
            }
            guard let users = reader.ints(), let droppable = reader.byte() else { return }
            hooks.frames?(frames, users, droppable == 1)
        case ClusterMessageKind.presence:
            guard let users = reader.ints() else { return }
            var table: [Int64: Presence] = [:]
            for user in users {
                guard let text = reader.text(), let presence = Presence(rawValue: text) else { return }
                table[user] = presence
            }
            let left = self.presence.heard(sender, users: table, now: publisher.loop.now)
            if !left.isEmpty { hooks.presenceExpired?(left) }
        case ClusterMessageKind.revoke:
            guard let family = reader.text() else { return }
            hooks.revoke?(family)
        default:
            return
        }
    }

    private func continuityLost(_ reason: String) {
        Log.warn("cluster: continuity lost; clients will resume with since", ["reason": reason])
        state.window.reset()
        state.counters = [:]
        state.ownEcho = nil
        hooks.withLock { $0 }.continuityLost?()
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

    package init() {}
}

enum ClusterMessageKind {
    static let event: UInt8 = 1
    static let frames: UInt8 = 2
    static let revoke: UInt8 = 3
    static let presence: UInt8 = 4
}

/// The listener's bookkeeping. `@unchecked Sendable`: touched only on the bus's loop thread,
/// except `subscribedFlag`, which is atomic.
final class ListenerState: @unchecked Sendable {
    let window: ReorderWindow
    var counters: [Int64: Int64] = [:]
    /// The last of our own messages heard back.
    var ownEcho: Int64?
    var everSubscribed = false
    let subscribedFlag = Atomic<Bool>(false)
    var subscribed: Bool {
        get { subscribedFlag.load(ordering: .relaxed) }
        set { subscribedFlag.store(newValue, ordering: .relaxed) }
    }

    init(window: ReorderWindow) {
        self.window = window
    }
}
