import PaceLoop
import PaceSystem

/// What the HTTP sessions of one loop share: the loop, its registry of connections, its
/// metrics, the cached `Date` value and the request-id counter.
final class HTTPLoopContext {
    unowned let loop: EventLoop
    let handler: HTTPHandler
    let configuration: HTTPServerConfiguration
    let metrics: LoopMetrics
    let registry = ConnectionRegistry()
    var dates = DateCache()
    /// permessage-deflate's compressors and shared inflater, made when a socket first needs them.
    lazy var compression = WebSocketCompression()
    private var requestCounter: UInt64 = 0
    /// Called once when the last connection is gone, during shutdown.
    private var onEmpty: (() -> Void)?

    init(loop: EventLoop, handler: HTTPHandler, configuration: HTTPServerConfiguration, metrics: LoopMetrics) {
        self.loop = loop
        self.handler = handler
        self.configuration = configuration
        self.metrics = metrics
    }

    func nextRequestID() -> UInt64 {
        requestCounter &+= 1
        return UInt64(loop.index) << 56 | (requestCounter & 0x00FF_FFFF_FFFF_FFFF)
    }

    /// Wraps a freshly accepted transport in a connection speaking HTTP.
    func accept(_ transport: Transport) {
        let connection = Connection(transport: transport, loop: loop, outboundLimit: configuration.outboundLimit,
                                    inboundLimit: configuration.limits.maxHeaderBytes + configuration.limits.maxRequestLine)
        // A connection that cannot start has closed itself; there is nothing to serve.
        guard (try? connection.start()) != nil else { return }
        connection.delegate = HTTPSession(connection: connection, context: self)
        registry.insert(connection)
        metrics.connectionOpened()
    }

    func connectionClosed(_ connection: Connection) {
        registry.remove(connection)
        metrics.connectionClosed()
        if registry.connections.isEmpty, let onEmpty {
            self.onEmpty = nil
            onEmpty()
        }
    }

    /// Calls `callback` once no connection is open: now, or when the last one closes.
    func whenEmpty(_ callback: @escaping () -> Void) {
        if registry.connections.isEmpty { callback() } else { onEmpty = callback }
    }
}
