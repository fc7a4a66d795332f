import PaceCrypto
import PaceJSON

/// N clients in one conversation, the first S sending `message.send` either on a schedule
/// (open loop, `--rate` per sender) or whenever an ack frees a slot in the window (closed
/// loop). Each body starts `t=<monotonic ns>;`, so every receiver measures delivery latency
/// and the sender measures ack latency on the same clock.
package final class FanoutRun: MessageHandler {
    private let options: BenchOptions
    private let driver: LoadDriver
    private let log: ProgressLog
    private let clientIDs: ClientID
    /// `{"type":"message.send","conversation_id":"…","body":"t=` with the id escaped.
    private let messagePrefix: [UInt8]
    private var messageScratch: [UInt8] = []
    package private(set) var statistics = FanoutStatistics()
    private var windowStart = UInt64.max
    private var windowEnd = UInt64.max
    private var sending = false
    private var progress: FanoutProgress

    package init(options: BenchOptions, driver: LoadDriver, log: ProgressLog) {
        self.options = options
        self.driver = driver
        self.log = log
        clientIDs = ClientID(tag: Hex.encode(SecureRandom.bytes(4)))
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("type")
        writer.string("message.send")
        writer.key("conversation_id")
        writer.string(options.conversation)
        writer.key("body")
        messagePrefix = writer.bytes + Array(#""t="#.utf8)
        progress = FanoutProgress(log: log)
    }

    /// Connects, sends through the warm-up and the window, drains, and returns the report.
    package func run() -> String {
        let connect = driver.connectAll(handler: self)
        let receivers = connect.connected
        let start = LoadDriver.now()
        windowStart = start + LoadDriver.nanoseconds(options.warmup)
        windowEnd = windowStart + LoadDriver.nanoseconds(options.duration)
        statistics.deliverySeconds = SecondWindows(duration: options.duration)
        let senders = startSenders(now: start)
        log.info("\(senders) senders, \(receivers) receivers; warm-up \(options.warmup) s, window \(options.duration) s")
        while true {
            let now = LoadDriver.now()
            guard now < windowEnd else { break }
            let wait = options.rate > 0 ? sendDue(now: now) : 50
            driver.poll(timeoutMilliseconds: min(wait, Self.milliseconds(until: windowEnd, from: now)), handler: self)
            tick(start: start)
        }
        sending = false
        let expected = statistics.expectedDeliveries(receivers: receivers)
        let drainStart = LoadDriver.now()
        let drainEnd = drainStart + LoadDriver.nanoseconds(options.drain)
        while (statistics.delivered < expected || statistics.acked < statistics.sent) && LoadDriver.now() < drainEnd {
            driver.poll(timeoutMilliseconds: 10, handler: self)
            tick(start: start)
        }
        let drainSeconds = Double(LoadDriver.now() - drainStart) / 1e9
        var report = BenchReport(options: options, connect: connect, senders: senders)
        report.addFanout(statistics, expected: expected, windowSeconds: options.duration,
                         drainSeconds: drainSeconds, openLoop: options.rate > 0)
        report.addConnections(driver.counters, openAtEnd: driver.openConnections)
        report.field("duration_s", options.duration)
        driver.closeAll()
        return report.finish()
    }

    private func startSenders(now: UInt64) -> Int {
        let interval = options.rate > 0 ? UInt64(1e9 / options.rate) : 0
        var senders = 0
        for index in 0..<options.senders where driver.isOpen(index) {
            driver.connections[index].isSender = true
            driver.connections[index].nextSendAt = now + interval * UInt64(index) / UInt64(options.senders)
            senders += 1
        }
        sending = true
        if interval == 0 {
            for index in 0..<options.senders { fillWindow(index) }
        }
        return senders
    }

    /// Open loop: sends every message that is due, and returns how long until the next one.
    private func sendDue(now: UInt64) -> Int32 {
        let interval = UInt64(1e9 / options.rate)
        var wait: Int32 = 50
        for index in 0..<options.senders where driver.connections[index].isSender {
            while driver.isOpen(index) && driver.connections[index].nextSendAt <= now {
                statistics.recordSendLag(now - driver.connections[index].nextSendAt)
                send(index, now: now)
                driver.connections[index].nextSendAt += interval
            }
            if driver.isOpen(index) {
                wait = min(wait, Self.milliseconds(until: driver.connections[index].nextSendAt, from: now))
            }
        }
        return wait
    }

    /// Closed loop: tops the sender's outstanding messages up to the window.
    private func fillWindow(_ index: Int) {
        while sending && driver.connections[index].isSender && driver.isOpen(index)
            && driver.connections[index].outstanding < options.window {
            send(index, now: LoadDriver.now())
        }
    }

    private func send(_ index: Int, now: UInt64) {
        messageScratch.removeAll(keepingCapacity: true)
        messageScratch.append(contentsOf: messagePrefix)
        DecimalText.append(now, to: &messageScratch)
        messageScratch.append(UInt8(ascii: ";"))
        messageScratch.append(contentsOf: options.text.utf8)
        messageScratch.append(contentsOf: repeatElement(UInt8(ascii: "x"), count: options.payload))
        messageScratch.append(contentsOf: #"","client_id":""#.utf8)
        clientIDs.append(index: index, number: driver.connections[index].messagesSent, to: &messageScratch)
        messageScratch.append(contentsOf: #""}"#.utf8)
        driver.connections[index].messagesSent += 1
        guard driver.sendText(index, messageScratch) else { return }
        driver.connections[index].outstanding += 1
        if now >= windowStart && now < windowEnd {
            statistics.sent += 1
        } else {
            statistics.warmupSent += 1
        }
    }

    package func received(_ kind: ServerMessageKind, _ frame: UnsafeRawBufferPointer, connection index: Int, now: UInt64) {
        guard let stamp = ServerMessage.bodyStamp(frame) else {
            statistics.unstamped += 1
            return
        }
        let latency = now > stamp ? now - stamp : 0
        let inWindow = stamp >= windowStart && stamp < windowEnd
        if kind == .messageAck {
            if driver.connections[index].outstanding > 0 { driver.connections[index].outstanding -= 1 }
            if inWindow {
                statistics.acked += 1
                statistics.ackLatency.record(latency)
            }
            if options.rate == 0 { fillWindow(index) }
            return
        }
        if ServerMessage.clientIDOwner(frame, run: clientIDs) == index {
            statistics.selfDelivered += 1
            return
        }
        if let sequence = ServerMessage.sequence(frame) {
            if sequence <= driver.connections[index].lastSequence { statistics.orderViolations += 1 }
            driver.connections[index].lastSequence = sequence
        }
        progress.record(latency)
        if inWindow {
            statistics.delivered += 1
            statistics.deliveryLatency.record(latency)
            statistics.deliverySeconds.record(latency, sentAt: stamp - windowStart)
        } else {
            statistics.outsideWindowDelivered += 1
        }
    }

    /// Heartbeats every 100 ms, and the progress line every second.
    private func tick(start: UInt64) {
        let now = LoadDriver.now()
        progress.tick(now: now, start: start, statistics: statistics) {
            driver.sendHeartbeats(now: now)
        }
    }

    static func milliseconds(until deadline: UInt64, from now: UInt64) -> Int32 {
        guard deadline > now else { return 0 }
        return Int32(clamping: (deadline - now + 999_999) / 1_000_000)
    }
}
