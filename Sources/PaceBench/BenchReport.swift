import PaceJSON

/// The one JSON line a run prints. Field names follow shared/bench/wsload.c where it has the
/// same figure, so the two tools' outputs can be compared key by key.
package struct BenchReport {
    private var writer = JSONWriter()

    package init(options: BenchOptions, connect: LoadDriver.ConnectSummary, senders: Int) {
        writer.beginObject()
        writer.key("mode")
        writer.string(options.mode.rawValue)
        field("clients", options.clients)
        if options.mode == .fanout {
            field("senders", senders)
            writer.key("rate")
            writer.double(options.rate)
            field("window", options.window)
            field("payload", options.payload)
            if !options.text.isEmpty {
                writer.key("text")
                writer.string(options.text)
            }
        }
        field("connected", connect.connected)
        writer.key("connect_s")
        writer.double(Self.rounded(connect.seconds))
    }

    package mutating func addFanout(_ statistics: FanoutStatistics, expected: UInt64, windowSeconds: Double,
                                    drainSeconds: Double, openLoop: Bool) {
        field("sent", statistics.sent)
        field("acked", statistics.acked)
        field("delivered", statistics.delivered)
        field("expected_delivered", expected)
        writer.key("loss")
        writer.int(Int64(clamping: expected) - Int64(clamping: statistics.delivered))
        writer.key("deliveries_per_s")
        writer.double((Double(statistics.delivered) / windowSeconds).rounded())
        writer.key("acks_per_s")
        writer.double((Double(statistics.acked) / windowSeconds).rounded())
        latency("latency_us", statistics.deliveryLatency, percentiles: [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999)])
        latency("ack_latency_us", statistics.ackLatency, percentiles: [("p50", 0.5), ("p99", 0.99)])
        worstSeconds(statistics.deliverySeconds.worst(5))
        field("warmup_sent", statistics.warmupSent)
        field("outside_window_delivered", statistics.outsideWindowDelivered)
        field("self_delivered", statistics.selfDelivered)
        field("order_violations", statistics.orderViolations)
        field("unstamped", statistics.unstamped)
        writer.key("drain_s")
        writer.double(Self.rounded(drainSeconds))
        guard openLoop else { return }
        writer.key("send_lag_us")
        writer.beginObject()
        writer.key("mean")
        let mean = statistics.sendLagCount > 0 ? Double(statistics.sendLagTotal) / Double(statistics.sendLagCount) : 0
        writer.double(Self.rounded(mean / 1000))
        writer.key("max")
        writer.double(Self.rounded(Double(statistics.sendLagMax) / 1000))
        writer.endObject()
        field("late_sends_10ms", statistics.lateSends)
    }

    package mutating func addConnections(_ counters: ConnectionCounters, openAtEnd: Int) {
        let errors = counters.serverErrorFrames + counters.protocolErrors + counters.disconnects + counters.sendErrors
        field("errors", errors)
        field("failed_connects", counters.failedConnects)
        field("disconnects", counters.disconnects)
        field("server_closes", counters.serverCloses)
        counts("close_codes", counters.closeCodes)
        field("rejected_upgrades", counters.rejectedUpgrades)
        counts("rejected_statuses", counters.rejectedStatuses)
        field("server_error_frames", counters.serverErrorFrames)
        field("protocol_errors", counters.protocolErrors)
        field("send_errors", counters.sendErrors)
        field("open_at_end", openAtEnd)
        field("other_frames", counters.otherFrames)
        field("pings_answered", counters.pingsAnswered)
        field("compressed_messages", counters.compressedMessages)
        writer.key("first_failure")
        writer.stringOrNull(counters.firstFailure)
    }

    /// The server's resident memory before and after, and per open connection.
    package mutating func addMemory(beforeKiB: Int?, afterKiB: Int?, connections: Int) {
        writer.key("server_rss_kib_before")
        writer.intOrNull(beforeKiB.map(Int64.init))
        writer.key("server_rss_kib_after")
        writer.intOrNull(afterKiB.map(Int64.init))
        writer.key("server_rss_kib_per_conn")
        if let beforeKiB, let afterKiB, connections > 0 {
            writer.double(Self.rounded(Double(afterKiB - beforeKiB) / Double(connections)))
        } else {
            writer.null()
        }
    }

    package mutating func field(_ name: String, _ value: Int) {
        writer.key(name)
        writer.int(value)
    }

    package mutating func field(_ name: String, _ value: UInt64) {
        writer.key(name)
        writer.int(Int64(clamping: value))
    }

    package mutating func field(_ name: String, _ value: Double) {
        writer.key(name)
        writer.double(Self.rounded(value))
    }

    package mutating func finish() -> String {
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private mutating func latency(_ name: String, _ histogram: LatencyHistogram, percentiles: [(String, Double)]) {
        writer.key(name)
        writer.beginObject()
        for (label, fraction) in percentiles {
            writer.key(label)
            writer.double(Self.rounded(Double(histogram.percentile(fraction)) / 1000))
        }
        writer.key("max")
        writer.double(Self.rounded(Double(histogram.max) / 1000))
        writer.endObject()
    }

    /// `worst_seconds_us`: the seconds of the window with the highest delivery latency, in
    /// time order, each with its deliveries, p99 and maximum.
    private mutating func worstSeconds(_ seconds: [(second: Int, histogram: LatencyHistogram)]) {
        writer.key("worst_seconds_us")
        writer.beginArray()
        for (second, histogram) in seconds {
            writer.beginObject()
            field("s", second)
            field("delivered", histogram.count)
            writer.key("p99")
            writer.double(Self.rounded(Double(histogram.percentile(0.99)) / 1000))
            writer.key("max")
            writer.double(Self.rounded(Double(histogram.max) / 1000))
            writer.endObject()
        }
        writer.endArray()
    }

    private mutating func counts(_ name: String, _ table: [Int: Int]) {
        writer.key(name)
        writer.beginObject()
        for (key, count) in table.sorted(by: { $0.key < $1.key }) {
            writer.key(String(key))
            writer.int(count)
        }
        writer.endObject()
    }

    /// One decimal place: the figures are measurements, not exact values.
    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
