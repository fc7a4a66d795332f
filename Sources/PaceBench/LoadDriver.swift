#if canImport(Glibc)
import Glibc
#endif
import CShims
import PaceDeflate
import PaceSystem
import PaceTLS
import PaceWebSocket

/// Receives the frames a workload cares about; everything else the driver handles itself.
package protocol MessageHandler: AnyObject {
    /// A `message.new` or `message.ack` on connection `index`, at monotonic time `now`.
    func received(_ kind: ServerMessageKind, _ frame: UnsafeRawBufferPointer, connection index: Int, now: UInt64)
}

/// The client side of many WebSocket connections on one thread: non-blocking sockets
/// under one level-triggered epoll, handshakes, frames in and out, pings answered.
/// Workloads (fan-out, idle) drive it through `poll` and `sendText`.
package final class LoadDriver {
    /// Frames above this are a protocol error rather than something to buffer.
    static let maxFramePayload = 64 << 20
    static let readChunk = 64 * 1024

    let options: BenchOptions
    let tokens: [String]
    let address: sockaddr_in
    /// With `--tls`: the client context every connection's engine comes from.
    let tlsContext: TLSClientContext?
    /// With `--deflate`: inflates compressed messages of every connection.
    let inflater: MessageInflater?
    let log: ProgressLog
    let epoll: Epoll
    let connections: UnsafeMutableBufferPointer<BenchConnection>
    /// Connection index by descriptor; -1 for descriptors that are not ours.
    var indexOfDescriptor: [Int]
    /// Shared by all connections: a read lands here, whole frames are handled in place and
    /// only a partial frame is copied out to the connection.
    var readBuffer: UnsafeMutableRawBufferPointer
    /// Reused for every outgoing frame.
    var frameScratch: [UInt8] = []
    /// Reused for the ciphertext of every TLS write.
    var cipherScratch: [UInt8] = []
    var masks: MaskKeyGenerator
    package var counters = ConnectionCounters()
    /// Connections between the first SYN and `hello`.
    var handshaking = 0
    private let events: UnsafeMutableBufferPointer<epoll_event>

    package init(options: BenchOptions, tokens: [String], log: ProgressLog) throws(UsageError) {
        self.options = options
        self.tokens = tokens
        self.log = log
        address = try Self.resolve(options.host, port: options.port)
        do {
            tlsContext = options.tls ? try TLSClientContext(trusting: nil) : nil
        } catch {
            throw UsageError("--tls: \(error)")
        }
        inflater = options.deflate ? MessageInflater(windowBits: 15) : nil
        if options.deflate && inflater == nil { throw UsageError("--deflate: zlib could not allocate an inflater") }
        do { epoll = try Epoll() } catch { throw UsageError("\(error)") }
        connections = .allocate(capacity: options.clients)
        _ = connections.initialize(from: repeatElement(BenchConnection(), count: options.clients))
        indexOfDescriptor = [Int](repeating: -1, count: 1024)
        readBuffer = .allocate(byteCount: 4 * Self.readChunk, alignment: 8)
        events = .allocate(capacity: 1024)
        masks = MaskKeyGenerator(seed: UInt64(truncatingIfNeeded: Clock.monotonicNanoseconds()))
        frameScratch.reserveCapacity(4096 + options.payload)
    }

    deinit {
        for index in connections.indices where connections[index].fd >= 0 { close(connections[index].fd) }
        connections.deinitialize().deallocate()
        readBuffer.deallocate()
        events.deallocate()
    }

    /// Waits up to `timeoutMilliseconds` for readiness and handles every ready connection.
    package func poll(timeoutMilliseconds: Int32, handler: any MessageHandler) {
        let count: Int
        do throws(SystemError) {
            count = try epoll.wait(into: events, timeoutMilliseconds: max(0, timeoutMilliseconds))
        } catch {
            // The driver's own epoll instance is broken; nothing it measures would mean anything.
            fatalError("pace-bench: \(error)")
        }
        guard count > 0 else { return }
        let now = Self.now()
        for event in events[..<count] {
            let fd = Int(UInt32(truncatingIfNeeded: event.data.u64))
            guard fd < indexOfDescriptor.count, indexOfDescriptor[fd] >= 0 else { continue }
            handle(indexOfDescriptor[fd], events: event.events, now: now, handler: handler)
        }
    }

    private func handle(_ index: Int, events: UInt32, now: UInt64, handler: any MessageHandler) {
        if connections[index].state == .connecting {
            finishConnect(index, now: now)
            return
        }
        if events & EPOLLOUT.rawValue != 0 { flush(index) }
        if events & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            readAvailable(index, now: now, handler: handler)
        }
    }

    package var openConnections: Int { connections.lazy.filter { $0.state == .open }.count }

    package func isOpen(_ index: Int) -> Bool { connections[index].state == .open }

    /// Ends connection `index`, counting it as a failed connect or a lost connection.
    func kill(_ index: Int, _ reason: String) {
        let state = connections[index].state
        guard state.isLive else { return }
        if state == .open {
            counters.disconnects += 1
        } else {
            counters.failedConnects += 1
            handshaking -= 1
        }
        if counters.firstFailure == nil { counters.firstFailure = reason }
        log.detail("connection \(index) closed (\(reason)) while \(state)")
        let fd = connections[index].fd
        if fd >= 0 {
            close(fd)
            indexOfDescriptor[Int(fd)] = -1
        }
        connections[index] = BenchConnection(state: .closed)
    }

    /// Says goodbye with a 1000 close frame on every open connection and closes them all.
    package func closeAll() {
        for index in connections.indices where connections[index].state.isLive {
            if connections[index].state == .open {
                _ = sendFrame(index, .close, [0x03, 0xE8])
            }
            close(connections[index].fd)
            indexOfDescriptor[Int(connections[index].fd)] = -1
            connections[index] = BenchConnection(state: .closed)
        }
    }

    func watch(_ fd: Int32, index: Int, writable: Bool) -> Bool {
        let slot = Int(fd)
        if slot >= indexOfDescriptor.count {
            indexOfDescriptor.append(contentsOf: repeatElement(-1, count: slot + 1024 - indexOfDescriptor.count))
        }
        indexOfDescriptor[slot] = index
        do {
            try epoll.add(fd, writable ? [.readable, .writable] : .readable)
            return true
        } catch {
            indexOfDescriptor[slot] = -1
            return false
        }
    }

    func setWritableInterest(_ index: Int, _ wanted: Bool) {
        guard connections[index].wantsWritable != wanted else { return }
        connections[index].wantsWritable = wanted
        do throws(SystemError) {
            try epoll.modify(connections[index].fd, wanted ? [.readable, .writable] : .readable)
        } catch {
            kill(index, "\(error)")
        }
    }

    package static func now() -> UInt64 { UInt64(Clock.monotonicNanoseconds()) }

    /// An IPv4 literal, or `localhost`.
    static func resolve(_ host: String, port: UInt16) throws(UsageError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let literal = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, literal, &address.sin_addr) == 1 else {
            throw UsageError("--host must be an IPv4 address or localhost, not '\(host)'")
        }
        return address
    }
}
