import PaceLoop
import PaceSystem

/// One HTTP loop stepped by the calling thread instead of running on its own: the real
/// sessions (HTTP, WebSocket, the application's routes) over in-memory connections, with no
/// socket or port. Feed a connection bytes, step, read what it wrote. Confined to the thread
/// that creates and steps it; work other threads finish (a store, a pool) arrives as loop
/// tasks, which a step waits for.
package final class EmbeddedHTTPLoop {
    package let loop: EventLoop
    package let metrics = LoopMetrics()
    private let context: HTTPLoopContext

    package init(handler: HTTPHandler, configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                 index: Int = 0) throws(SystemError) {
        loop = try EventLoop(index: index)
        context = HTTPLoopContext(loop: loop, handler: handler, configuration: configuration, metrics: metrics)
        loop.runOnce()
        HTTPServer.scheduleSweep(context)
    }

    deinit {
        for connection in context.registry.connections { connection.close(.shutdown) }
    }

    /// Serves HTTP on `transport` as if it had just been accepted.
    @discardableResult
    package func connect(_ transport: MemoryTransport = MemoryTransport()) -> MemoryTransport {
        context.accept(transport)
        return transport
    }

    /// One tick, waiting up to `waitMilliseconds` for something to do.
    package func step(waitMilliseconds: Int32 = 0) {
        loop.runOnce(waitMilliseconds: waitMilliseconds)
    }

    /// Steps until `done` holds or `timeoutMilliseconds` have passed; returns `done()`.
    @discardableResult
    package func step(until done: () -> Bool, timeoutMilliseconds: Int64 = 5_000) -> Bool {
        let deadline = Clock.monotonicMilliseconds() + timeoutMilliseconds
        while !done() {
            guard Clock.monotonicMilliseconds() < deadline else { return false }
            step(waitMilliseconds: 5)
        }
        return true
    }

    /// Asks every connection to finish, as a server shutdown does.
    package func requestShutdown() {
        for connection in context.registry.connections {
            connection.delegate?.connectionShutdownRequested(connection)
        }
    }

    /// Whether the HTTP connection on `transport` holds part of a request, waiting for more:
    /// what a peer that stopped sending midway left behind.
    package func isMidRequest(on transport: MemoryTransport) -> Bool {
        let connection = context.registry.connections.first { $0.transport === transport }
        return (connection?.delegate as? HTTPSession)?.isMidRequest ?? false
    }

    /// Connections open on this loop.
    package var openConnections: Int { context.registry.connections.count }
}
