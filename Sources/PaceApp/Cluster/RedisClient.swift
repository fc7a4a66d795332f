#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceRedis
import PaceSystem
import Synchronization

/// Why a Redis command got no reply.
package enum RedisClientError: Error, Sendable, Equatable {
    /// The connection dropped (or never came up) with the command outstanding.
    case disconnected
    /// Too much was queued while Redis was unreachable.
    case backlogFull
}

/// One Redis connection on one event loop, re-established with backoff whenever it drops.
/// Commands are pipelined: written as soon as they are issued, replies matched in order. In
/// subscriber mode every reply is a push (`onPush`), because messages interleave with the
/// replies to SUBSCRIBE and PING.
///
/// Liveness: a PING goes out every second; if nothing at all has arrived for
/// `silenceLimit` ms the connection is considered dead (a stopped Redis keeps TCP open) and
/// is dropped and redialled.
///
/// `@unchecked Sendable`: every stored property is touched only on `loop`'s thread; the entry
/// points callable from elsewhere (`send`, `start`, `stop`) hop there with `loop.execute`,
/// and `isReady` is atomic.
package final class RedisClient: @unchecked Sendable {
    package typealias Reply = @Sendable (Result<RESPValue, RedisClientError>) -> Void

    let url: RedisURL
    let loop: EventLoop
    private let dialer: BlockingPool
    private let subscriber: Bool
    private let ready = Atomic<Bool>(false)
    private var link: RedisLink?
    private var replies: [Reply?] = []
    private var replyHead = 0
    /// Commands issued while disconnected, sent in order once connected.
    private var backlog: [UInt8] = []
    private var backlogReplies: [Reply?] = []
    private var backoff: Int64 = 0
    private var stopped = false
    private var lastHeard: Int64 = 0
    private var pingTimer: TimerID?
    /// Backlog bytes beyond which new commands fail with `.backlogFull`.
    package var backlogLimit = 16 << 20
    /// Silence (ms) after which a connection is dropped as dead.
    package var silenceLimit: Int64 = 3000

    /// After each connection, on the loop, before the backlog goes out: re-subscribe, SELECT.
    package var onConnect: (() -> Void)?
    /// After a connection was lost (and before the redial), on the loop.
    package var onDisconnect: (() -> Void)?
    /// Subscriber mode: every reply (message, subscribe confirmation, pong), on the loop.
    package var onPush: ((RESPValue) -> Void)?

    package init(url: RedisURL, loop: EventLoop, dialer: BlockingPool, subscriber: Bool = false) {
        self.url = url
        self.loop = loop
        self.dialer = dialer
        self.subscriber = subscriber
    }

    /// True while connected and hearing from Redis; any thread.
    package var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Dials, and keeps dialling. Any thread.
    package func start() {
        loop.execute { [self] in
            dial()
            pingTimer = nil
            schedulePing()
        }
    }

    /// Closes the connection and stops redialling. Any thread.
    package func stop() {
        loop.execute { [self] in
            stopped = true
            if let pingTimer { loop.cancel(pingTimer) }
            link?.connection.close(.shutdown)
        }
    }

    /// Sends a command; `reply` (if any) runs on the loop. Any thread. Always through the
    /// loop's task queue, even on the loop: commands go out in the order `send` was called
    /// (the bus numbers its messages under a lock and relies on that order).
    package func send(_ arguments: [[UInt8]], reply: Reply? = nil) {
        loop.execute { [self] in enqueue(arguments, reply: reply) }
    }

    private func enqueue(_ arguments: [[UInt8]], reply: Reply?) {
        guard !stopped else {
            reply?(.failure(.disconnected))
            return
        }
        if let link, link.isUp {
            link.connection.send { RESPCommand.encode(arguments, into: &$0) }
            if !subscriber { replies.append(reply) }
            return
        }
        guard backlog.count < backlogLimit else {
            reply?(.failure(.backlogFull))
            return
        }
        RESPCommand.encode(arguments, into: &backlog)
        if !subscriber { backlogReplies.append(reply) }
    }

    // MARK: Connection life

    private func dial() {
        guard !stopped else { return }
        let url = url, loop = loop
        dialer.submit { [self] in
            let outcome: Result<Int32, SystemError>
            do throws(SystemError) {
                outcome = .success(try OutboundSocket.connect(host: url.host, port: url.port))
            } catch {
                outcome = .failure(error)
            }
            loop.execute { [self] in dialled(outcome) }
        }
    }

    private func dialled(_ outcome: Result<Int32, SystemError>) {
        guard case .success(let fd) = outcome, !stopped else {
            if case .success(let fd) = outcome { _ = Glibc.close(fd) }
            redialLater()
            return
        }
        let connection = Connection(transport: SocketTransport(fd: fd, peer: .unspecified), loop: loop,
                                    outboundLimit: backlogLimit * 2, inboundLimit: 64 << 20)
        let link = RedisLink(connection: connection, client: self)
        connection.delegate = link
        do throws(SystemError) {
            try connection.start()
        } catch {
            redialLater()
            return
        }
        self.link = link
        link.isUp = true
        lastHeard = loop.now
        if url.database != 0 { enqueue([Array("SELECT".utf8), Array(String(url.database).utf8)], reply: nil) }
        onConnect?()
        // Readiness waits for a reply; asking at once saves the first tick of the PING timer.
        enqueue([Array("PING".utf8)], reply: nil)
        connection.send { [backlog] in $0.append(contentsOf: backlog) }
        backlog = []
        replies.append(contentsOf: backlogReplies)
        backlogReplies = []
    }

    private func redialLater() {
        guard !stopped else { return }
        backoff = min(max(backoff * 2, 50), 2000)
        _ = loop.schedule(after: backoff) { [self] in dial() }
    }

    private func schedulePing() {
        pingTimer = loop.schedule(after: 1000) { [self] in
            guard !stopped else { return }
            if let link, link.isUp {
                if loop.now - lastHeard > silenceLimit {
                    link.connection.close(.timeout)
                } else {
                    enqueue([Array("PING".utf8)], reply: nil)
                }
            }
            schedulePing()
        }
    }

    // MARK: From the link

    func received(_ value: RESPValue) {
        lastHeard = loop.now
        backoff = 0
        if !ready.load(ordering: .relaxed) { ready.store(true, ordering: .relaxed) }
        if subscriber {
            onPush?(value)
            return
        }
        guard replyHead < replies.count else { return }
        let reply = replies[replyHead]
        replyHead += 1
        if replyHead == replies.count {
            replies.removeAll(keepingCapacity: true)
            replyHead = 0
        }
        reply?(.success(value))
    }

    func lost(_ link: RedisLink) {
        guard link === self.link else { return }
        self.link = nil
        ready.store(false, ordering: .relaxed)
        let failed = replies[replyHead...]
        replies = []
        replyHead = 0
        for reply in failed { reply?(.failure(.disconnected)) }
        onDisconnect?()
        redialLater()
    }
}

/// The protocol side of one connection to Redis: parses replies and hands them to the client.
final class RedisLink: ConnectionDelegate {
    let connection: Connection
    unowned let client: RedisClient
    var isUp = false
    private var parser = RESPParser()

    init(connection: Connection, client: RedisClient) {
        self.connection = connection
        self.client = client
    }

    func connection(_ connection: Connection, received bytes: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while offset < bytes.count {
            switch parser.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
            case .value(let value, let consumed):
                offset += consumed
                client.received(value)
                if connection.isClosed { return bytes.count }
            case .needMore:
                return bytes.count
            case .failed:
                connection.close(.protocolError)
                return bytes.count
            }
        }
        return offset
    }

    func connectionReadClosed(_ connection: Connection) { connection.close(.peerClosed) }
    func connectionDeadlinePassed(_ connection: Connection) { connection.close(.timeout) }
    func connectionShutdownRequested(_ connection: Connection) { connection.close(.shutdown) }

    func connectionClosed(_ connection: Connection) {
        isUp = false
        client.lost(self)
    }
}
