import Synchronization

/// Request and connection figures for `/metrics`. Each loop owns one `LoopMetrics` and is its
/// only writer; the scrape reads all of them, so counters are atomics written with relaxed
/// load-plus-store (no contended read-modify-write on the hot path).
package final class LoopMetrics: Sendable {
    /// Upper bounds of the request-duration histogram, in seconds.
    package static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1, 0.25, 0.5, 1, 2.5, 5]
    private static let bucketNanos: [Int64] = bucketBounds.map { Int64($0 * 1e9) }

    /// Slots: 0 open connections, 1 accepted total, 2...6 responses by status class 1xx...5xx,
    /// 7 duration sum (ns), 8... histogram buckets, then the +Inf bucket, then requests whose
    /// client came from a forwarding header.
    /// The pointer never changes and every access goes through the atomics it points to.
    private nonisolated(unsafe) let slots: UnsafeMutablePointer<Atomic<Int>>
    private static let forwardedSlot = 8 + bucketBounds.count + 1
    private static let slotCount = forwardedSlot + 1

    package init() {
        slots = .allocate(capacity: Self.slotCount)
        for i in 0..<Self.slotCount { (slots + i).initialize(to: Atomic(0)) }
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
    }

    private func bump(_ slot: Int, by amount: Int = 1) {
        let value = slots[slot].load(ordering: .relaxed)
        slots[slot].store(value &+ amount, ordering: .relaxed)
    }

    private func read(_ slot: Int) -> Int { slots[slot].load(ordering: .relaxed) }

    package func connectionOpened() {
        bump(0)
        bump(1)
    }

    package func connectionClosed() { bump(0, by: -1) }

    /// Records one response; loop thread only.
    package func response(status: Int, nanoseconds: Int64) {
        bump(1 + min(5, max(1, status / 100)))
        bump(7, by: Int(nanoseconds))
        var bucket = 0
        while bucket < Self.bucketNanos.count && nanoseconds > Self.bucketNanos[bucket] { bucket += 1 }
        bump(8 + bucket)
    }

    /// A request attributed to a client named by a trusted proxy's forwarding header.
    package func forwardedClient() { bump(Self.forwardedSlot) }

    package var openConnections: Int { read(0) }
    package var forwardedClients: Int { read(Self.forwardedSlot) }
    package var acceptedConnections: Int { read(1) }
    package func responses(statusClass: Int) -> Int { read(1 + statusClass) }
    package var durationSumNanoseconds: Int { read(7) }
    package func bucketCount(_ index: Int) -> Int { read(8 + index) }
}

/// Renders the loops' figures in the Prometheus text exposition format.
package enum MetricsText {
    package static func render(_ loops: [LoopMetrics], extra: String = "") -> String {
        var out = ""
        out += "# HELP pace_connections_open Open client connections.\n# TYPE pace_connections_open gauge\n"
        out += "pace_connections_open \(loops.reduce(0) { $0 + $1.openConnections })\n"
        out += "# HELP pace_connections_accepted_total Connections accepted.\n"
        out += "# TYPE pace_connections_accepted_total counter\n"
        out += "pace_connections_accepted_total \(loops.reduce(0) { $0 + $1.acceptedConnections })\n"
        out += "# HELP pace_http_responses_total HTTP responses by status class.\n"
        out += "# TYPE pace_http_responses_total counter\n"
        for statusClass in 1...5 {
            out += "pace_http_responses_total{class=\"\(statusClass)xx\"} "
            out += "\(loops.reduce(0) { $0 + $1.responses(statusClass: statusClass) })\n"
        }
        out += histogram(loops)
        out += "# HELP pace_http_forwarded_clients_total Requests attributed to a client named by a trusted proxy's "
        out += "Forwarded or X-Forwarded-For header.\n# TYPE pace_http_forwarded_clients_total counter\n"
        out += "pace_http_forwarded_clients_total \(loops.reduce(0) { $0 + $1.forwardedClients })\n"
        return out + extra
    }

    private static func histogram(_ loops: [LoopMetrics]) -> String {
        var out = "# HELP pace_http_request_duration_seconds Time from a complete request to its response.\n"
        out += "# TYPE pace_http_request_duration_seconds histogram\n"
        var cumulative = 0
        for (index, bound) in LoopMetrics.bucketBounds.enumerated() {
            cumulative += loops.reduce(0) { $0 + $1.bucketCount(index) }
            out += "pace_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += loops.reduce(0) { $0 + $1.bucketCount(LoopMetrics.bucketBounds.count) }
        out += "pace_http_request_duration_seconds_bucket{le=\"+Inf\"} \(cumulative)\n"
        let sum = Double(loops.reduce(0) { $0 + $1.durationSumNanoseconds }) / 1e9
        out += "pace_http_request_duration_seconds_sum \(sum)\n"
        out += "pace_http_request_duration_seconds_count \(cumulative)\n"
        return out
    }
}
