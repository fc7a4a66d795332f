import PaceSystem
import Synchronization

/// The hub's figures for `/metrics`. Counters are bumped once per loop batch, not per
/// recipient, so counting costs nothing measurable on the fan-out path.
package final class HubStatistics: Sendable {
    let socketsOpen = Atomic<Int>(0)
    let framesDelivered = Atomic<Int>(0)
    let framesDropped = Atomic<Int>(0)
    let slowConsumersClosed = Atomic<Int>(0)
    let eventsHandled = Atomic<Int>(0)
    let lookupsFailed = Atomic<Int>(0)
    let resyncs = Atomic<Int>(0)
    /// Per loop and stored change, not per recipient (see `DeliveryClock`).
    let deliveryLatency = DurationHistogram(
        name: "pace_delivery_latency_seconds",
        help: "From a change's commit until every socket of one loop has been written its frame.")

    /// Prometheus text for these figures.
    package func render() -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: Int) {
            out += PrometheusText.single(name, type, help, value)
        }
        metric("pace_websockets_open", "gauge", "Open chat WebSockets.", socketsOpen.load(ordering: .relaxed))
        metric("pace_hub_events_total", "counter", "Stored changes fanned out by the hub.",
               eventsHandled.load(ordering: .relaxed))
        metric("pace_hub_frames_delivered_total", "counter", "Frames queued on chat sockets.",
               framesDelivered.load(ordering: .relaxed))
        metric("pace_hub_frames_dropped_total", "counter", "Typing, presence and receipt frames skipped for sockets behind.",
               framesDropped.load(ordering: .relaxed))
        metric("pace_hub_slow_consumers_closed_total", "counter", "Sockets closed with 4000 for falling too far behind.",
               slowConsumersClosed.load(ordering: .relaxed))
        metric("pace_hub_lookups_failed_total", "counter", "Membership reads that failed and were retried.",
               lookupsFailed.load(ordering: .relaxed))
        metric("pace_hub_resyncs_total", "counter", "Times the hub closed every socket with 4000 after its backlog overflowed.",
               resyncs.load(ordering: .relaxed))
        return out + deliveryLatency.render()
    }
}
