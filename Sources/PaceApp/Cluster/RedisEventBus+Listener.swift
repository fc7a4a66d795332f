import PaceLoop
import PaceRedis
import PaceSystem

/// The listening side of the bus, on its loop: hearing Redis, holding events in the window,
/// noticing gaps and filling them from the store.
extension RedisEventBus {
    /// A catch-up the store has not answered in this long (ms) gives up: clients resume.
    static let catchUpTimeout: Int64 = 5_000
    /// How far before the last moment known whole a catch-up starts reading (ms): a PUBLISH
    /// may reach Redis a little after the events committed after it were heard.
    static let catchUpMargin: Int64 = 1_000

    func schedule(on loop: EventLoop) {
        _ = loop.schedule(after: 5) { [weak self] in
            guard let self else { return }
            tick()
            release(now: loop.now)
            schedule(on: loop)
        }
    }

    private func release(now: Int64) {
        if let since = state.catchingUpSince {
            if now - since > Self.catchUpTimeout { continuityLost("the store did not answer the catch-up in time") }
            return
        }
        guard !state.window.isEmpty else { return }
        // Own events pile up here while Redis is unreachable; past this, clients resume instead.
        if state.window.count > 100_000 { return continuityLost("too many events waiting for redis") }
        let subscribers = subscribers.withLock { $0 }
        for entry in state.window.due(now: now) {
            if entry.keyed, let conversation = ReorderWindow.conversation(of: entry.event) {
                guard !state.ledger.contains(entry.key) else {
                    state.statistics.duplicatesSkipped.add(1, ordering: .relaxed)
                    continue
                }
                // Redis delayed it past the window: later changes of its conversation already left.
                if entry.key < state.ledger.highest(in: conversation) { state.statistics.late.add(1, ordering: .relaxed) }
                state.ledger.delivered(entry.key, conversation: conversation, now: now)
            }
            for subscriber in subscribers { subscriber(entry.event, entry.origin) }
        }
    }

    func heard(_ value: RESPValue) {
        let now = publisher.loop.now
        state.lastHeardAt = now
        guard case .array(let parts) = value, parts.count >= 3, let kind = parts[0].text else { return }
        switch kind {
        case "subscribe":
            let resumed = state.everSubscribed
            state.subscribed = true
            state.everSubscribed = true
            let from = state.outageFrom ?? now
            state.outageFrom = nil
            guard resumed else { return }
            // Counters start again from what each instance sends next; what was published
            // while this instance was not subscribed, its own included, is in the store.
            state.senders = [:]
            state.ownEcho = nil
            state.window.forgetEchoes()
            gap(openedAt: from, "redis subscription re-established")
        case "message":
            guard let payload = parts[2].bytes else { return }
            received(payload, now: now)
        default:
            return
        }
    }

    private func received(_ payload: [UInt8], now: Int64) {
        var reader = WireReader(payload)
        guard let sender = reader.int(), let number = reader.int(), let kind = reader.byte() else { return }
        if UInt64(bitPattern: sender) == instance {
            // Our own message: proof the subscription is live up to it. A skipped number means a
            // PUBLISH of ours was lost with a dropped connection; the others fill it from the
            // store, and our own copies of the events stop waiting for an echo.
            if let last = state.ownEcho, number != last + 1 {
                Log.warn("cluster: a publish of this instance was lost", ["missed": String(number - last - 1)])
            }
            state.ownEcho = number
            state.window.echoed(number)
            return
        }
        if options.dropEvery > 0, kind == ClusterMessageKind.event {
            // Counted by events heard, not by message number: which numbers are events depends
            // on how ticks fell between the publishes, and a test needs the loss to happen.
            state.eventsHeard += 1
            if state.eventsHeard % options.dropEvery == 0 { return }
        }
        let previous = state.senders[sender]
        state.senders[sender] = ListenerState.Sender(number: number, heardAt: now)
        if let previous, number != previous.number + 1 {
            gap(openedAt: previous.heardAt, "events from another instance were missed")
        }
        let hooks = hooks.withLock { $0 }
        switch kind {
        case ClusterMessageKind.event:
            guard let event = ChatEventWire.decode(&reader) else { return }
            state.window.add(event, origin: nil, now: now)
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
            let left = self.presence.heard(sender, users: table, now: now)
            if !left.isEmpty { hooks.presenceExpired?(left) }
        case ClusterMessageKind.revoke:
            guard let family = reader.text() else { return }
            hooks.revoke?(family)
        default:
            return
        }
    }

    // MARK: Gaps

    /// Events committed after loop time `time` may be missing: fill them from the store, or
    /// make clients resume when that cannot work.
    private func gap(openedAt time: Int64, _ reason: String) {
        let catchUp = hooks.withLock { $0 }.catchUp
        guard options.gapFill, let catchUp, let floor = state.ledger.floor(at: time - Self.catchUpMargin) else {
            return continuityLost(reason)
        }
        Log.info("cluster: filling a gap from the store", ["reason": reason, "after": String(floor)])
        guard state.catchingUpSince == nil else {
            state.pendingFloor = min(state.pendingFloor ?? floor, floor)
            return
        }
        readStore(after: floor, lookback: publisher.loop.now - time + Self.catchUpMargin, catchUp)
    }

    private func readStore(after floor: Int64, lookback: Int64,
                           _ catchUp: @Sendable (Int64, Int64, @escaping @Sendable ([ChatEvent]?) -> Void) -> Void) {
        let loop = publisher.loop
        state.catchingUpSince = loop.now
        let generation = state.generation
        catchUp(floor, lookback) { [weak self] events in
            loop.execute { [weak self] in self?.filled(events, generation: generation) }
        }
    }

    private func filled(_ events: [ChatEvent]?, generation: Int) {
        guard generation == state.generation, state.catchingUpSince != nil else { return }
        guard let events else { return continuityLost("the store could not fill the gap") }
        let now = publisher.loop.now
        var added = 0
        for event in events {
            guard let key = ReorderWindow.key(of: event), let conversation = ReorderWindow.conversation(of: event),
                  !state.ledger.contains(key), !state.window.contains(key: key) else { continue }
            guard key > state.ledger.highest(in: conversation) else {
                return continuityLost("a missed change is older than one already delivered in its conversation")
            }
            // Due at once: it has waited longer than any hold already.
            state.window.add(event, origin: nil, now: now - state.window.hold)
            added += 1
        }
        state.statistics.gapsFilled.add(1, ordering: .relaxed)
        state.statistics.eventsFilled.add(added, ordering: .relaxed)
        if added > 0 { Log.info("cluster: gap filled from the store", ["events": String(added)]) }
        state.catchingUpSince = nil
        if let next = state.pendingFloor, let catchUp = hooks.withLock({ $0 }).catchUp {
            state.pendingFloor = nil
            readStore(after: next, lookback: state.ledger.span, catchUp)
        }
    }

    func continuityLost(_ reason: String) {
        Log.warn("cluster: continuity lost; clients will resume with since", ["reason": reason])
        state.statistics.continuityLost.add(1, ordering: .relaxed)
        state.window.reset()
        state.senders = [:]
        state.ownEcho = nil
        state.catchingUpSince = nil
        state.pendingFloor = nil
        state.generation += 1
        hooks.withLock { $0 }.continuityLost?()
    }
}
