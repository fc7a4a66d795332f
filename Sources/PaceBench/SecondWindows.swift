/// Delivery latency per second of the measured window, by the second a message was sent in,
/// so a stall shows as the seconds it hit rather than as one p999 over the whole run. Each
/// second has its own histogram, allocated before the run starts; at most `limit` seconds are
/// kept apart (later ones share the last).
package struct SecondWindows: Sendable {
    package static let limit = 600

    private(set) var seconds: [LatencyHistogram] = []

    package init(duration: Double) {
        let count = Swift.min(Self.limit, Swift.max(1, Int(duration.rounded(.up))))
        seconds = Array(repeating: LatencyHistogram(), count: count)
    }

    /// Records a delivery of a message sent `offset` nanoseconds into the window.
    package mutating func record(_ latency: UInt64, sentAt offset: UInt64) {
        guard !seconds.isEmpty else { return }
        let index = Swift.min(Int(offset / 1_000_000_000), seconds.count - 1)
        seconds[index].record(latency)
    }

    /// The `count` seconds with the highest maximum latency, in time order.
    package func worst(_ count: Int) -> [(second: Int, histogram: LatencyHistogram)] {
        let ranked = seconds.indices.filter { seconds[$0].count > 0 }.sorted { seconds[$0].max > seconds[$1].max }
        return ranked.prefix(count).sorted().map { ($0, seconds[$0]) }
    }
}
