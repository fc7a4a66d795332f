/// Puts chat events from several instances back into commit order before the hub sees them.
///
/// Commits are serialised by the sequence row (see `PostgresSequence`), so `seq`/`version`
/// order is commit order across the cluster; but two instances committing one after the
/// other publish independently, and Redis may hear the later one first. Every event waits
/// here `hold` ms; at each tick the oldest-enough events, and every event ordered before
/// them, leave in key order. Events without a key of their own (reads, membership, keys)
/// take the highest key seen, so they stay behind what arrived before them. This instance's
/// own events also wait for their echo from Redis, so nothing is delivered here that the
/// other instances could not have heard: a client's `since` cursor never runs ahead of an
/// event that Redis delayed.
///
/// Confined to one loop thread.
final class ReorderWindow {
    struct Entry {
        let key: Int64
        let arrival: Int64
        let order: Int64
        let event: ChatEvent
        let origin: UInt64?
        /// The event has a key of its own (not borrowed from what came before it).
        let keyed: Bool
        /// This instance's own event, held until its PUBLISH comes back through the
        /// subscription (`echoed`): then every event Redis ordered before it has arrived too.
        var echo: Int64?
    }

    let hold: Int64
    private var entries: [Entry] = []
    private var highest: Int64 = 0
    private var arrivals: Int64 = 0
    /// The key of the last event released; an event below it arrived too late to be ordered.
    private(set) var released: Int64 = 0
    /// Events that arrived after something ordered after them had already left.
    private(set) var late = 0

    init(hold: Int64) {
        self.hold = hold
    }

    var isEmpty: Bool { entries.isEmpty }

    var count: Int { entries.count }

    func add(_ event: ChatEvent, origin: UInt64?, now: Int64, echo: Int64? = nil) {
        let own = Self.key(of: event)
        let key = own ?? highest
        highest = max(highest, key)
        arrivals += 1
        if key < released { late += 1 }
        entries.append(Entry(key: key, arrival: now, order: arrivals, event: event, origin: origin, keyed: own != nil,
                             echo: echo))
    }

    /// Own message `number` came back from Redis; those before it never will (lost with a
    /// dropped connection), and the others hear of them from the store.
    func echoed(_ number: Int64) {
        // Own events join in the order they are numbered, and leaving keeps that order.
        for index in entries.indices {
            guard let echo = entries[index].echo else { continue }
            guard echo <= number else { return }
            entries[index].echo = nil
        }
    }

    /// Stops waiting for echoes: after a new subscription, a PUBLISH sent while this instance
    /// was not subscribed never comes back.
    func forgetEchoes() {
        for index in entries.indices { entries[index].echo = nil }
    }

    /// Whether an event with its own `key` is waiting here.
    func contains(key: Int64) -> Bool {
        entries.contains { $0.keyed && $0.key == key }
    }

    /// The events due at `now`, in key order (ties in arrival order).
    func due(now: Int64) -> [Entry] {
        var bound = Int64.min
        var waiting = Int64.max
        for entry in entries {
            if entry.echo != nil {
                waiting = min(waiting, entry.key)
            } else if now - entry.arrival >= hold {
                bound = max(bound, entry.key)
            }
        }
        // Nothing may overtake an own event still waiting for its echo.
        if waiting != Int64.max { bound = min(bound, waiting - 1) }
        guard bound != Int64.min else { return [] }
        var leaving: [Entry] = []
        var staying: [Entry] = []
        for entry in entries {
            if entry.key <= bound && entry.echo == nil { leaving.append(entry) } else { staying.append(entry) }
        }
        entries = staying
        leaving.sort { ($0.key, $0.order) < ($1.key, $1.order) }
        if let last = leaving.last { released = max(released, last.key) }
        return leaving
    }

    /// Forgets everything held (a resync makes every client reload anyway).
    func reset() {
        entries = []
        released = 0
    }

    /// The conversation of an event that has a key.
    static func conversation(of event: ChatEvent) -> Int64? {
        switch event {
        case .messageCreated(let conversation, _, _, _, _), .encryptedMessageCreated(let conversation, _, _, _, _, _),
             .messageUpdated(let conversation, _, _), .messageDeleted(let conversation, _, _),
             .reaction(let conversation, _, _, _, _, _, _): conversation
        case .read, .conversationUpdated, .keysChanged, .keysLow: nil
        }
    }

    /// The server-wide sequence value an event was stored under, if it has one.
    static func key(of event: ChatEvent) -> Int64? {
        switch event {
        case .messageCreated(_, _, let seq, _, _), .encryptedMessageCreated(_, _, let seq, _, _, _): seq
        case .messageUpdated(_, let version, _), .messageDeleted(_, let version, _): version
        case .reaction(_, _, _, _, _, let version, _): version
        case .read, .conversationUpdated, .keysChanged, .keysLow: nil
        }
    }
}
