/// N connections opened and held, answering pings, to show what an idle connection costs
/// the server: its resident memory is read before connecting and at the end of the hold.
package final class IdleRun: MessageHandler {
    private let options: BenchOptions
    private let driver: LoadDriver
    private let log: ProgressLog

    package init(options: BenchOptions, driver: LoadDriver, log: ProgressLog) {
        self.options = options
        self.driver = driver
        self.log = log
    }

    package func run() -> String {
        let before = options.pid.flatMap(ProcessProbe.residentKiB(pid:))
        if let pid = options.pid, before == nil { log.info("cannot read /proc/\(pid)/status") }
        let connect = driver.connectAll(handler: self)
        log.info("holding \(connect.connected) connections for \(options.duration) s")
        let end = LoadDriver.now() + LoadDriver.nanoseconds(options.duration)
        var lastHeartbeat: UInt64 = 0
        while true {
            let now = LoadDriver.now()
            guard now < end else { break }
            driver.poll(timeoutMilliseconds: min(100, FanoutRun.milliseconds(until: end, from: now)), handler: self)
            if now - lastHeartbeat >= 100_000_000 {
                lastHeartbeat = now
                driver.sendHeartbeats(now: now)
            }
        }
        let after = options.pid.flatMap(ProcessProbe.residentKiB(pid:))
        let open = driver.openConnections
        var report = BenchReport(options: options, connect: connect, senders: 0)
        report.addConnections(driver.counters, openAtEnd: open)
        if options.pid != nil {
            report.addMemory(beforeKiB: before, afterKiB: after, connections: connect.connected)
        }
        report.field("duration_s", options.duration)
        driver.closeAll()
        return report.finish()
    }

    /// Nobody sends in idle mode; a message arriving anyway is simply ignored.
    package func received(_ kind: ServerMessageKind, _ frame: UnsafeRawBufferPointer, connection index: Int, now: UInt64) {}
}
