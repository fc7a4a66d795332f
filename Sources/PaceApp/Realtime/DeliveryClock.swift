import PaceLoop
import PaceSystem

/// Times stored changes from commit until the loop has written them to its sockets, without a
/// timestamp per recipient: one marker per loop waits on the loop's flush list behind the
/// sockets a delivery made dirty, so when the loop reaches it, those sockets have been written
/// (what a full socket would not take waits for EPOLLOUT). Deliveries later in the same tick
/// ride on the marker already queued; a socket they dirty first is written after it, so their
/// figure can be a few sends early. Confined to the loop's thread.
final class DeliveryClock: TickFlushable {
    private unowned let loop: EventLoop
    private let histogram: DurationHistogram
    /// Commit times of the deliveries the queued marker stands for.
    private var pending: [Int64] = []
    private var queued = false

    init(loop: EventLoop, histogram: DurationHistogram) {
        self.loop = loop
        self.histogram = histogram
    }

    /// A change committed at `committedAt` (monotonic ns) was just queued on sockets here.
    func written(committedAt: Int64) {
        pending.append(committedAt)
        guard !queued else { return }
        queued = true
        loop.flushAtEndOfTick(self)
    }

    func flushAtEndOfTick() {
        queued = false
        let now = Clock.monotonicNanoseconds()
        for committedAt in pending { histogram.record(nanoseconds: Int(now - committedAt)) }
        pending.removeAll(keepingCapacity: true)
    }
}
