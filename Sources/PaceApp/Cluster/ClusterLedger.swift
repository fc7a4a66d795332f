/// What this instance handed its hub lately, for the gap fill: which keys (so an event heard
/// both from the store and from Redis is delivered once), the highest key per conversation (so
/// a filled event never lands behind a later one of its conversation), and the highest key
/// released over time (where a catch-up starts reading: everything delivered before a moment
/// is at or below what had been released by then).
///
/// Memory is bounded by `span` ms of deliveries; a gap older than that cannot be filled.
/// Confined to the bus's loop thread.
final class ClusterLedger {
    private struct Delivery {
        let key: Int64
        let conversation: Int64
        let at: Int64
    }

    let span: Int64
    private var keys: Set<Int64> = []
    private var deliveries: [Delivery] = []
    private var head = 0
    private var highest: [Int64: Int64] = [:]
    /// (time, highest key released by then), one entry per change, oldest first.
    private var samples: [(at: Int64, released: Int64)] = []
    /// Whether the first sample (the store's sequence when the bus began) was pruned.
    private var pruned = false
    private(set) var released: Int64 = 0

    init(span: Int64 = 60_000) {
        self.span = span
    }

    /// The store's sequence when this instance began listening: nothing at or below it is live.
    var isStarted: Bool { !samples.isEmpty }

    func start(sequence: Int64, now: Int64) {
        guard samples.isEmpty else { return }
        released = max(released, sequence)
        samples.append((now, released))
    }

    func contains(_ key: Int64) -> Bool { keys.contains(key) }

    /// The highest key delivered to `conversation` within the span.
    func highest(in conversation: Int64) -> Int64 { highest[conversation] ?? 0 }

    func delivered(_ key: Int64, conversation: Int64, now: Int64) {
        keys.insert(key)
        deliveries.append(Delivery(key: key, conversation: conversation, at: now))
        highest[conversation] = max(highest[conversation] ?? 0, key)
        guard key > released else { return }
        released = key
        if isStarted {
            if let last = samples.last, last.at == now { samples[samples.count - 1].released = key } else { samples.append((now, key)) }
        }
    }

    /// Where a catch-up for a gap that opened at `time` reads from: the highest key released
    /// by then. Nil when the ledger does not reach back that far (or has not started).
    func floor(at time: Int64) -> Int64? {
        guard let first = samples.first else { return nil }
        guard time >= first.at else { return pruned ? nil : first.released }
        var low = 0, high = samples.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if samples[middle].at <= time { low = middle } else { high = middle - 1 }
        }
        return samples[low].released
    }

    /// Forgets deliveries older than the span, keeping one sample before it as a floor.
    func prune(now: Int64) {
        let cutoff = now - span
        while head < deliveries.count, deliveries[head].at < cutoff {
            let old = deliveries[head]
            keys.remove(old.key)
            if highest[old.conversation] == old.key { highest[old.conversation] = nil }
            head += 1
        }
        if head > 4096, head * 2 > deliveries.count {
            deliveries.removeFirst(head)
            head = 0
        }
        var drop = 0
        while drop + 1 < samples.count, samples[drop + 1].at < cutoff { drop += 1 }
        if drop > 0 {
            samples.removeFirst(drop)
            pruned = true
        }
    }
}
