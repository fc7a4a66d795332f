import PaceSystem
import Synchronization

/// The listener's bookkeeping. `@unchecked Sendable`: touched only on the bus's loop thread,
/// except `subscribedFlag` and `statistics`, which are atomic.
final class ListenerState: @unchecked Sendable {
    struct Sender {
        var number: Int64
        var heardAt: Int64
    }

    let window: ReorderWindow
    let ledger = ClusterLedger()
    /// The last message number heard from each other instance, and when.
    var senders: [Int64: Sender] = [:]
    /// The last of our own messages heard back.
    var ownEcho: Int64?
    /// Event messages heard from other instances, for the tests' `dropEvery`.
    var eventsHeard = 0
    var everSubscribed = false
    /// When the listener last heard anything from Redis.
    var lastHeardAt: Int64 = 0
    /// Set when the subscription dropped: the last moment it was known whole.
    var outageFrom: Int64?
    /// A store read for a gap is out (since this loop time): the window holds everything.
    var catchingUpSince: Int64?
    /// A gap found while another was being filled: read again from here once it is done.
    var pendingFloor: Int64?
    /// Moves with every resync, so a catch-up that was overtaken by one is ignored.
    var generation = 0
    let subscribedFlag = Atomic<Bool>(false)
    var subscribed: Bool {
        get { subscribedFlag.load(ordering: .relaxed) }
        set { subscribedFlag.store(newValue, ordering: .relaxed) }
    }
    let statistics = ClusterStatistics()

    init(window: ReorderWindow) {
        self.window = window
    }
}

/// How often the cluster had to repair its stream, for /metrics and the tests.
package final class ClusterStatistics: Sendable {
    /// Gaps filled from the store.
    package let gapsFilled = Atomic<Int>(0)
    /// Events delivered from the store because Redis lost them.
    package let eventsFilled = Atomic<Int>(0)
    /// Events heard twice (store and Redis) and delivered once.
    package let duplicatesSkipped = Atomic<Int>(0)
    /// Times every client was told to resume with `since`.
    package let continuityLost = Atomic<Int>(0)
    /// Changes delivered after a later one of their conversation (held up in Redis longer
    /// than the reorder window).
    package let late = Atomic<Int>(0)

    /// Prometheus text for these figures.
    package func render() -> String {
        PrometheusText.single("pace_cluster_gaps_filled_total", "counter", "Gaps in the Redis stream filled from the store.",
                              gapsFilled.load(ordering: .relaxed))
            + PrometheusText.single("pace_cluster_events_filled_total", "counter",
                                    "Stored changes delivered from the store because Redis lost them.",
                                    eventsFilled.load(ordering: .relaxed))
            + PrometheusText.single("pace_cluster_duplicates_skipped_total", "counter",
                                    "Changes heard from both the store and Redis, delivered once.",
                                    duplicatesSkipped.load(ordering: .relaxed))
            + PrometheusText.single("pace_cluster_continuity_lost_total", "counter",
                                    "Times every client of this instance was told to resume with since.",
                                    continuityLost.load(ordering: .relaxed))
            + PrometheusText.single("pace_cluster_late_events_total", "counter",
                                    "Changes delivered after a later one of their conversation (longer in Redis than the window).",
                                    late.load(ordering: .relaxed))
    }
}
