import PaceAddress
import PaceHTTP
import PaceLoop
import PaceSystem
import PaceTLS

/// Pace's own HTTP/1.1 client, for webhooks, Web Push and OpenID Connect: its own event loop
/// (so a slow or hanging receiver never touches a chat loop), non-blocking connects, HTTPS
/// through the same `TLSTransport` the listeners use (certificates verified against the
/// system's CA store or `caFile`, the host name checked), one request per connection at a time,
/// idle connections kept per origin for reuse, and at most `maxConcurrent` requests in flight
/// (the rest wait in order). Redirects are not followed: a 3xx is the answer. Names are
/// resolved on the blocking pool and every resolved address is checked against
/// `OutboundAddressPolicy` before connecting; plain `http` goes only to loopback unless
/// `allowPlainHTTP`.
///
/// `@unchecked Sendable`: the mutable state (`idle`, `waiting`, `inFlight`) is touched only on
/// `loop`'s thread; the public entry point hops there with `loop.execute`.
package final class HTTPClient: @unchecked Sendable {
    package struct Settings: Sendable {
        package var maxConcurrent = 64
        package var maxIdlePerOrigin = 4
        package var maxBodyBytes = 64 * 1024
        /// `PACE_ALLOW_PRIVATE_WEBHOOKS=1`: private and loopback addresses are allowed.
        package var allowPrivateAddresses = false
        /// Plain `http` to a non-loopback address (`PACE_OUTBOUND_ALLOW_HTTP=1`).
        package var allowPlainHTTP = false
        /// Trust this PEM file instead of the system's CA store (`PACE_OUTBOUND_CA_FILE`).
        package var caFile: String?
        /// The client loop's nice value (0 to 19): background deliveries (push, webhooks) run
        /// below the chat loops, so a burst of them yields the cores to live fan-out.
        package var niceness: Int32 = 0

        package init() {}
    }

    package typealias Completion = @Sendable (Result<ClientResponse, HTTPClientError>) -> Void

    /// The client's own loop; callers may schedule their work on it (the webhook dispatcher does).
    package let loop: EventLoop
    private var thread: OSThread?
    private let resolver: BlockingPool
    private let settings: Settings
    private let tls: TLSClientContext
    private let tlsEnvironment = TLSTransportEnvironment()
    private var idle: [String: [ClientExchange]] = [:]
    private var waiting: [(OutboundRequest, [[UInt8]], Completion)] = []
    private var inFlight = 0

    /// Throws when the event loop cannot start or the trusted certificates cannot be loaded.
    package init(settings: Settings = Settings()) throws {
        self.settings = settings
        tls = try TLSClientContext(trust: settings.caFile.map(TLSClientContext.Trust.file) ?? .system)
        loop = try EventLoop(index: 1000)
        resolver = try BlockingPool(threads: 1, name: "pace-resolve")
        let loop = self.loop
        let niceness = settings.niceness
        thread = try OSThread(name: "pace-http-client") {
            if niceness > 0 { Scheduling.lowerCurrentThread(niceness: niceness) }
            loop.run()
        }
    }

    /// Stops the loop; requests in flight are dropped (their owners retry from the outbox).
    package func shutdown() {
        loop.stop()
        thread?.join()
        thread = nil
        resolver.shutdown()
    }

    /// Sends `request`; `completion` runs on the client's loop thread and must only hand off.
    package func send(_ request: OutboundRequest, completion: @escaping Completion) {
        let settings = self.settings
        let submitted = resolver.submit { [self] in
            let addresses: [[UInt8]]
            if let literal = IPAddress(request.url.host) {
                addresses = [Self.bytes(literal)]
            } else {
                do { addresses = try OutboundSocket.resolve(request.url.host) } catch {
                    return completion(.failure(.resolution))
                }
            }
            let permitted = addresses.filter { bytes in
                let address = bytes.withUnsafeBytes { IPAddress(networkBytes: $0) }
                return OutboundAddressPolicy.permits(address, allowPrivate: settings.allowPrivateAddresses)
            }
            guard !permitted.isEmpty else { return completion(.failure(.forbiddenAddress)) }
            let reachable = request.url.isTLS || settings.allowPlainHTTP ? permitted : permitted.filter(Self.isLoopback)
            guard !reachable.isEmpty else { return completion(.failure(.schemeNotAllowed)) }
            // IPv4 first, then at most two more: many hosts (containers) resolve IPv6 they cannot reach.
            let ordered = reachable.filter(OutboundSocket.isIPv4Mapped) + reachable.filter { !OutboundSocket.isIPv4Mapped($0) }
            loop.execute { self.admit(request, Array(ordered.prefix(3)), completion) }
        }
        if !submitted { completion(.failure(.shuttingDown)) }
    }

    /// Plain HTTP never leaves the machine unless configured to.
    static func isLoopback(_ bytes: [UInt8]) -> Bool {
        OutboundAddressPolicy.scope(of: bytes.withUnsafeBytes { IPAddress(networkBytes: $0) }) == .loopback
    }

    private static func bytes(_ address: IPAddress) -> [UInt8] {
        (0..<16).map { index in
            let word = index < 8 ? address.high : address.low
            return UInt8(truncatingIfNeeded: word >> UInt64((7 - index % 8) * 8))
        }
    }

    private func admit(_ request: OutboundRequest, _ addresses: [[UInt8]], _ completion: @escaping Completion) {
        guard inFlight < settings.maxConcurrent else {
            waiting.append((request, addresses, completion))
            return
        }
        inFlight += 1
        start(request, addresses) { [self] result in
            inFlight -= 1
            completion(result)
            if !waiting.isEmpty {
                let (next, nextAddresses, nextCompletion) = waiting.removeFirst()
                admit(next, nextAddresses, nextCompletion)
            }
        }
    }

    private func start(_ request: OutboundRequest, _ addresses: [[UInt8]],
                       _ completion: @escaping (Result<ClientResponse, HTTPClientError>) -> Void) {
        guard let bytes = request.encode() else { return completion(.failure(.invalidRequest)) }
        let origin = request.url.origin
        let reused = idle[origin]?.popLast()
        let exchange: ClientExchange
        if let reused {
            exchange = reused
        } else {
            do {
                exchange = try connect(origin: origin, to: addresses[0], url: request.url)
            } catch {
                return next(request, addresses, completion, failure: .connectFailed)
            }
        }
        exchange.start(bytes, maxBodyBytes: settings.maxBodyBytes,
                       timeoutMilliseconds: request.timeoutMilliseconds) { [self] result in
            switch result {
            case .success:
                if !exchange.connection.isClosed { keepIdle(exchange) }
                completion(result)
            case .failure(.connectFailed) where reused == nil:
                // A TLS refusal is the server's answer, not an unreachable address: it is final.
                next(request, addresses, completion, failure: .connectFailed)
            case .failure:
                completion(result)
            }
        }
    }

    /// Tries the next resolved address after a failed connect, or reports `failure`.
    private func next(_ request: OutboundRequest, _ addresses: [[UInt8]],
                      _ completion: @escaping (Result<ClientResponse, HTTPClientError>) -> Void, failure: HTTPClientError) {
        guard addresses.count > 1 else { return completion(.failure(failure)) }
        start(request, Array(addresses.dropFirst()), completion)
    }

    private func connect(origin: String, to address: [UInt8], url: OutboundURL) throws(SystemError) -> ClientExchange {
        let fd = try OutboundSocket.connect(to: address, port: url.port)
        let peer = address.withUnsafeBytes { IPAddress(networkBytes: $0) }
        let socket = SocketTransport(fd: fd, peer: peer)
        let secure = url.isTLS
            ? TLSTransport(inner: socket, engine: tls.makeEngine(host: url.host), environment: tlsEnvironment) : nil
        let connection = Connection(transport: secure ?? socket, loop: loop,
                                    outboundLimit: 4 * 1024 * 1024, inboundLimit: 1024 * 1024)
        let exchange = ClientExchange(origin: origin, connection: connection, tls: secure)
        connection.delegate = exchange
        try connection.start()
        return exchange
    }

    private func keepIdle(_ exchange: ClientExchange) {
        var list = idle[exchange.origin, default: []]
        guard list.count < settings.maxIdlePerOrigin else { return exchange.connection.close(.normal) }
        exchange.onIdleClose = { [weak self] closed in
            self?.idle[closed.origin]?.removeAll { $0 === closed }
        }
        list.append(exchange)
        idle[exchange.origin] = list
    }
}
