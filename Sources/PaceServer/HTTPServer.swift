#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
import PaceLoop
import PaceSystem
import Synchronization

/// The network front: one listening socket and one HTTP context per event loop.
package final class HTTPServer: Sendable {
    /// The port actually bound (differs from the requested one when that was 0).
    package let port: UInt16
    package let group: EventLoopGroup
    package let metrics: [LoopMetrics]
    private let contexts: LoopContexts

    /// Binds `host:port` once per loop and starts serving `handler` on `loops` threads, each
    /// kept on its own CPU with `pinLoops`. `transport` wraps each accepted socket (plain TCP
    /// unless given: a TLS transport plugs in here).
    package convenience init(host: String, port: UInt16, loops: Int, pinLoops: Bool = false, backlog: Int32 = 4096,
                             configuration: HTTPServerConfiguration, handler: HTTPHandler,
                             transport: @escaping TransportFactory = HTTPServer.plainTransport) throws(SystemError) {
        let count = max(1, loops)
        var sockets: [Int32] = []
        let bound: UInt16
        do throws(SystemError) {
            let first = try Socket.listen(host: host, port: port, backlog: backlog, reusePort: true)
            sockets.append(first)
            bound = try Socket.localPort(first)
            for _ in 1..<count {
                sockets.append(try Socket.listen(host: host, port: bound, backlog: backlog, reusePort: true))
            }
        } catch {
            for fd in sockets { close(fd) }
            throw error
        }
        try self.init(listeners: sockets, port: bound, loops: count, pinLoops: pinLoops,
                      configuration: configuration, handler: handler, transport: transport)
    }

    /// Serves `handler` on `loops` threads without listening anywhere: connections arrive only
    /// through `connect` (in-memory transports, for tests and embedding).
    package convenience init(unboundLoops loops: Int, configuration: HTTPServerConfiguration,
                             handler: HTTPHandler) throws(SystemError) {
        try self.init(listeners: [], port: 0, loops: max(1, loops), pinLoops: false,
                      configuration: configuration, handler: handler, transport: HTTPServer.plainTransport)
    }

    private init(listeners: [Int32], port: UInt16, loops count: Int, pinLoops: Bool,
                 configuration: HTTPServerConfiguration, handler: HTTPHandler,
                 transport: @escaping TransportFactory) throws(SystemError) {
        self.port = port
        let metrics = (0..<count).map { _ in LoopMetrics() }
        let contexts = LoopContexts()
        let started = CountdownLatch(count: count)
        group = try EventLoopGroup(count: count, pinned: pinLoops) { loop in
            let context = HTTPLoopContext(loop: loop, handler: handler, configuration: configuration,
                                          metrics: metrics[loop.index])
            let listener = listeners.isEmpty ? nil : HTTPServer.listen(on: listeners[loop.index], loop) {
                context.accept(transport($0))
            }
            contexts.insert(HTTPLoopContextBox(context: context, listener: listener), at: loop.index)
            HTTPServer.scheduleSweep(context)
            started.countDown()
        }
        self.metrics = metrics
        self.contexts = contexts
        // Each loop registers its listener on its own thread; waiting for all of them means a
        // shutdown right after start still reaches every loop.
        started.wait()
    }

    /// Makes the transport for each accepted socket, on the accepting loop's thread.
    package typealias TransportFactory = @Sendable (Socket.Accepted) -> Transport

    package static let plainTransport: TransportFactory = {
        SocketTransport(fd: $0.fd, peer: IPAddress(ipv4: $0.peer))
    }

    private static func listen(on fd: Int32, _ loop: EventLoop,
                               accepted: @escaping (Socket.Accepted) -> Void) -> Listener? {
        do {
            return try Listener(fd: fd, loop: loop, accepted: accepted)
        } catch {
            // Closed, so the kernel stops routing connections to a socket nobody accepts on;
            // the other loops' listeners keep serving the port.
            close(fd)
            Log.error("listener not registered", ["loop": String(loop.index), "error": "\(error)"])
            return nil
        }
    }

    /// Serves HTTP on `transport` from loop `index` (modulo the loop count), as if accepted there.
    package func connect(_ transport: sending Transport, loop index: Int = 0) {
        let box = contexts.all.first { $0.context.loop.index == index % group.loops.count }
        guard let box else { return }
        let handOff = TransportHandOff(transport: transport)
        box.context.loop.execute { box.context.accept(handOff.transport) }
    }

    static func scheduleSweep(_ context: HTTPLoopContext) {
        context.loop.schedule(after: context.configuration.sweepIntervalMilliseconds) { [unowned context] in
            context.registry.sweep(now: context.loop.now)
            scheduleSweep(context)
        }
    }

    /// Open connections across all loops.
    package var openConnections: Int { metrics.reduce(0) { $0 + $1.openConnections } }

    /// Stops accepting, lets in-flight requests finish, closes idle connections, and returns
    /// when every connection is gone or `graceMilliseconds` have passed; then stops the loops.
    package func shutdown(graceMilliseconds: Int64 = 8_000) {
        let boxes = contexts.all
        let drained = CountdownLatch(count: boxes.count)
        let deadline = Clock.monotonicMilliseconds() + graceMilliseconds
        for box in boxes {
            box.context.loop.execute {
                box.listener?.close()
                for connection in box.context.registry.connections {
                    connection.delegate?.connectionShutdownRequested(connection)
                }
                box.context.whenEmpty { drained.countDown() }
            }
        }
        drained.wait(untilMonotonicMilliseconds: deadline)
        group.stopAndJoin()
    }
}

/// Carries a loop's context and listener to the thread that shuts them down, which only
/// touches them inside `loop.execute`.
/// `@unchecked Sendable`: both objects are confined to their loop and used only from it.
private struct HTTPLoopContextBox: @unchecked Sendable {
    let context: HTTPLoopContext
    let listener: Listener?
}

/// Carries a transport made on one thread to the loop that serves it.
/// `@unchecked Sendable`: the creator gives it up (`sending`); only the loop uses it afterwards.
private struct TransportHandOff: @unchecked Sendable {
    let transport: Transport
}

/// The loops' contexts, filled in by each loop thread as it starts.
private final class LoopContexts: Sendable {
    private let boxes = Mutex<[Int: HTTPLoopContextBox]>([:])

    func insert(_ box: HTTPLoopContextBox, at index: Int) {
        boxes.withLock { $0[index] = box }
    }

    var all: [HTTPLoopContextBox] { boxes.withLock { Array($0.values) } }
}
