/// What the fan-out workload counted. Only messages stamped inside the measured window count
/// as sent, acknowledged or delivered; the rest are kept apart so warm-up traffic cannot
/// flatter or spoil the figures.
package struct FanoutStatistics: Sendable {
    package var sent: UInt64 = 0
    package var warmupSent: UInt64 = 0
    package var acked: UInt64 = 0
    package var delivered: UInt64 = 0
    package var outsideWindowDelivered: UInt64 = 0
    /// `message.new` frames carrying the receiver's own client id.
    package var selfDelivered: UInt64 = 0
    /// `message.new` frames whose `seq` was not above the last one on that connection:
    /// reordering or duplicates.
    package var orderViolations: UInt64 = 0
    /// `message.new` or `message.ack` frames without a `t=` stamp in their body.
    package var unstamped: UInt64 = 0
    package var deliveryLatency = LatencyHistogram()
    /// The same deliveries, per second of the window.
    package var deliverySeconds = SecondWindows(duration: 0)
    package var ackLatency = LatencyHistogram()
    /// Open loop: how late sends left compared with their schedule.
    package var sendLagTotal: UInt64 = 0
    package var sendLagCount: UInt64 = 0
    package var sendLagMax: UInt64 = 0
    package var lateSends: UInt64 = 0

    package init() {}

    /// Deliveries owed for the window's messages: each one to every other open connection.
    package func expectedDeliveries(receivers: Int) -> UInt64 {
        sent * UInt64(max(0, receivers - 1))
    }

    /// Records how far behind schedule a send left; over 10 ms counts as late.
    package mutating func recordSendLag(_ lag: UInt64) {
        sendLagTotal &+= lag
        sendLagCount &+= 1
        if lag > sendLagMax { sendLagMax = lag }
        if lag > 10_000_000 { lateSends &+= 1 }
    }
}
