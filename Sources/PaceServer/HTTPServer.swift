#if canImport(Glibc)
import Glibc
#endif
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
    /// kept on its own CPU with `pinLoops`.
    package init(host: String, port: UInt16, loops: Int, pinLoops: Bool = false, backlog: Int32 = 4096,
                 configuration: HTTPServerConfiguration, handler: HTTPHandler) throws(SystemError) {
        let count = max(1, loops)
        var sockets: [Int32] = []
        do throws(SystemError) {
            let first = try Socket.listen(host: host, port: port, backlog: backlog, reusePort: true)
            sockets.append(first)
            let bound = try Socket.localPort(first)
            for _ in 1..<count {
                sockets.append(try Socket.listen(host: host, port: bound, backlog: backlog, reusePort: true))
            }
            self.port = bound
        } catch {
            for fd in sockets { close(fd) }
            throw error
        }
        let metrics = (0..<count).map { _ in LoopMetrics() }
        let contexts = LoopContexts()
        let listeners = sockets
        let started = CountdownLatch(count: count)
        group = try EventLoopGroup(count: count, pinned: pinLoops) { loop in
            let context = HTTPLoopContext(loop: loop, handler: handler, configuration: configuration,
                                          metrics: metrics[loop.index])
            let listener: Listener?
            do {
                listener = try Listener(fd: listeners[loop.index], loop: loop) { context.accept($0) }
            } catch {
                // Closed, so the kernel stops routing connections to a socket nobody accepts on;
                // the other loops' listeners keep serving the port.
                close(listeners[loop.index])
                Log.error("listener not registered", ["loop": String(loop.index), "error": "\(error)"])
                listener = nil
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

    private static func scheduleSweep(_ context: HTTPLoopContext) {
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

/// The loops' contexts, filled in by each loop thread as it starts.
private final class LoopContexts: Sendable {
    private let boxes = Mutex<[Int: HTTPLoopContextBox]>([:])

    func insert(_ box: HTTPLoopContextBox, at index: Int) {
        boxes.withLock { $0[index] = box }
    }

    var all: [HTTPLoopContextBox] { boxes.withLock { Array($0.values) } }
}
