#if canImport(Glibc)
import Glibc
#endif

/// Connecting: TCP, the upgrade, then `hello`.
extension LoadDriver {
    /// What the connect phase achieved.
    package struct ConnectSummary: Sendable {
        package var connected: Int
        package var seconds: Double
    }

    /// Opens every connection, at most `--batch` handshakes in flight so no listen backlog
    /// overflows, each within `--connect-timeout` and all within `--connect-limit`.
    /// Connections still handshaking at the end count as failed.
    package func connectAll(handler: any MessageHandler) -> ConnectSummary {
        let start = Self.now()
        let deadline = start + Self.nanoseconds(options.connectLimit)
        let timeout = Self.nanoseconds(options.connectTimeout)
        var next = 0, lastScan: UInt64 = 0, lastReport = start
        while counters.connected + counters.failedConnects < options.clients {
            var now = Self.now()
            guard now < deadline else { break }
            while next < options.clients && handshaking < options.batch {
                startConnect(next, now: now)
                next += 1
            }
            poll(timeoutMilliseconds: 5, handler: handler)
            now = Self.now()
            guard now - lastScan > 100_000_000 else { continue }
            lastScan = now
            for index in 0..<next where connections[index].state.isHandshaking
                && now - connections[index].startedAt > timeout {
                kill(index, "connect timeout")
            }
            sendHeartbeats(now: now)
            if now - lastReport >= 1_000_000_000 {
                lastReport = now
                log.info("connecting: \(counters.connected) open, \(counters.failedConnects) failed")
            }
        }
        for index in connections.indices where connections[index].state.isHandshaking {
            kill(index, "connect phase over")
        }
        counters.failedConnects += options.clients - next
        let seconds = Double(Self.now() - start) / 1e9
        log.info("connected \(counters.connected)/\(options.clients) in \(Self.format(seconds)) s"
            + (counters.firstFailure.map { "; first failure: \($0)" } ?? ""))
        return ConnectSummary(connected: counters.connected, seconds: seconds)
    }

    private func startConnect(_ index: Int, now: UInt64) {
        connections[index] = BenchConnection(state: .connecting, startedAt: now)
        handshaking += 1
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                        | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return kill(index, "socket: \(Self.errorText())") }
        connections[index].fd = fd
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var target = address
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 || errno == EINPROGRESS else {
            let reason = "connect: \(Self.errorText())"
            close(fd)
            connections[index].fd = -1
            return kill(index, reason)
        }
        guard watch(fd, index: index, writable: true) else {
            close(fd)
            connections[index].fd = -1
            return kill(index, "epoll_ctl: \(Self.errorText())")
        }
        connections[index].wantsWritable = true
    }

    /// The TCP connection is up (or failed): send the upgrade request.
    func finishConnect(_ index: Int, now: UInt64) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(connections[index].fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { return kill(index, "connect: \(String(cString: strerror(error)))") }
        setWritableInterest(index, false)
        if let tlsContext {
            connections[index].state = .securing
            connections[index].tls = tlsContext.makeEngine()
            advanceHandshake(index)
        } else {
            sendUpgrade(index)
        }
    }

    /// Sends the upgrade request, over TLS once its handshake has finished.
    func sendUpgrade(_ index: Int) {
        let key = UpgradeRequest.randomKey()
        let token = tokens.isEmpty ? "u\(index)" : tokens[index % tokens.count]
        connections[index].state = .upgrading
        connections[index].expectedAccept = UpgradeRequest.expectedAccept(key: key)
        _ = write(index, UpgradeRequest.head(
            host: options.host, port: options.port, path: options.path, token: token, key: key,
            deflate: options.deflate
        ))
    }

    /// Checks the upgrade response at the start of `bytes`: how many bytes it took, 0 while
    /// incomplete, nil when the connection failed.
    func takeUpgradeResponse(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Int? {
        switch UpgradeRequest.check(bytes, expectedAccept: connections[index].expectedAccept) {
        case .incomplete:
            return 0
        case .rejected(let status, let reason):
            counters.rejectedUpgrades += 1
            if let status { counters.rejectedStatuses[status, default: 0] += 1 }
            kill(index, "upgrade refused: \(reason)")
            return nil
        case .accepted(let headLength):
            connections[index].state = .awaitingHello
            connections[index].expectedAccept = ""
            return headLength
        }
    }

    /// The server's `hello`: the connection is open; its heartbeat period starts at a
    /// random offset so pings do not arrive in lockstep.
    func helloReceived(_ index: Int, _ frame: UnsafeRawBufferPointer, now: UInt64) {
        guard connections[index].state == .awaitingHello else { return }
        connections[index].state = .open
        counters.connected += 1
        handshaking -= 1
        let requested = options.heartbeatMilliseconds.map(UInt64.init) ?? ServerMessage.heartbeatMilliseconds(frame) ?? 0
        guard requested > 0 else { return }
        let interval = requested * 900_000
        connections[index].heartbeatInterval = interval
        connections[index].nextPingAt = now + UInt64(masks.next()) % interval
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }

    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
