/// Housekeeping on the fan-out loop: heartbeats every 100 ms and, every second, one line on
/// stderr saying what that second delivered and how fast.
struct FanoutProgress {
    private let log: ProgressLog
    /// Latencies of every delivery this second, window or not.
    private var second = LatencyHistogram()
    private var lastHousekeeping: UInt64 = 0
    private var lastLine: UInt64 = 0
    private var lastSent: UInt64 = 0

    init(log: ProgressLog) { self.log = log }

    mutating func record(_ latency: UInt64) { second.record(latency) }

    mutating func tick(now: UInt64, start: UInt64, statistics: FanoutStatistics, heartbeats: () -> Void) {
        guard now - lastHousekeeping >= 100_000_000 else { return }
        lastHousekeeping = now
        heartbeats()
        if lastLine == 0 { lastLine = start }
        guard now - lastLine >= 1_000_000_000 else { return }
        let elapsed = Double(now - lastLine) / 1e9
        lastLine = now
        let deliveries = Double(second.count) / max(elapsed, 0.001)
        let sent = statistics.sent + statistics.warmupSent - lastSent
        log.info("t=\(LoadDriver.format(Double(now - start) / 1e9)) s  sent \(sent)  "
            + "deliveries/s \(Int(deliveries))  p50 \(Self.milliseconds(second.percentile(0.5))) ms  "
            + "p99 \(Self.milliseconds(second.percentile(0.99))) ms  max \(Self.milliseconds(second.max)) ms")
        lastSent = statistics.sent + statistics.warmupSent
        second.reset()
    }

    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        LoadDriver.format(Double(nanoseconds) / 1e6)
    }
}
