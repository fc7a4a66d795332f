#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
import PaceHTTP
import PaceLoop
import PaceSystem

/// Wraps an accepted connection's transport (the socket) and reads a PROXY protocol header
/// (v2 or v1) off it before any other byte reaches the layer above (TLS or HTTP); then it
/// passes everything through, and `peer` is the header's source address. `LOCAL`, `UNSPEC`
/// and `UNKNOWN` headers keep the TCP peer.
///
/// The connection is closed, and nothing reaches the layer above, when the TCP peer is not a
/// trusted proxy, when the header is malformed, or when it has not arrived within the
/// timeout. Only as many bytes as the header can still hold are read, so whatever follows
/// it stays in the socket for the layer above. Loop thread only, like every transport.
package final class ProxyProtocolTransport: Transport, LoopHandler {
    /// What every connection of a listener shares.
    package struct Settings: Sendable {
        /// Peers allowed to send a header; everyone else is disconnected.
        package var trustedProxies: TrustedProxies
        /// From accept to the end of the header.
        package var headerTimeoutMilliseconds: Int64
        /// Upper bound of a v2 header's address block and TLVs.
        package var maxAddressBlock: Int
        package var statistics: ProxyProtocolStatistics?

        package init(trustedProxies: TrustedProxies, headerTimeoutMilliseconds: Int64 = 5_000,
                     maxAddressBlock: Int = 1_024, statistics: ProxyProtocolStatistics? = nil) {
            self.trustedProxies = trustedProxies
            self.headerTimeoutMilliseconds = headerTimeoutMilliseconds
            self.maxAddressBlock = maxAddressBlock
            self.statistics = statistics
        }
    }

    private enum Phase {
        case header
        case passing
        case failed(SystemError)
    }

    private let inner: Transport
    private let settings: Settings
    package private(set) var peer: IPAddress
    private var parser: ProxyHeaderParser
    private var phase = Phase.header
    /// Held until `close`, as the loop holds a registered handler.
    private var handler: LoopHandler?
    /// What the layer above asked for; applied to the inner transport once the header is in.
    private var interest: Interest = []
    private unowned var loop: EventLoop?
    private var timer: TimerID?

    package init(wrapping inner: Transport, settings: Settings) {
        self.inner = inner
        self.settings = settings
        peer = inner.peer
        parser = ProxyHeaderParser(maxAddressBlock: settings.maxAddressBlock)
    }

    /// Makes each accepted connection's transport with `inner`, then wraps it.
    package static func factory(_ settings: Settings, over inner: @escaping HTTPServer.TransportFactory
                                    = HTTPServer.plainTransport) -> HTTPServer.TransportFactory {
        { accepted in ProxyProtocolTransport(wrapping: inner(accepted), settings: settings) }
    }

    // MARK: Transport

    /// Refuses an untrusted peer by failing: the connection then closes before it starts.
    package func register(_ handler: LoopHandler, interest: Interest, on loop: EventLoop) throws(SystemError) {
        guard settings.trustedProxies.contains(inner.peer) else {
            settings.statistics?.headerRejected()
            if Log.enabled(.debug) { Log.write(.debug, "proxy protocol: peer not trusted", ["peer": "\(inner.peer)"]) }
            throw SystemError("proxy protocol", code: EACCES)
        }
        self.handler = handler
        self.interest = interest
        self.loop = loop
        try inner.register(self, interest: .readable, on: loop)
        timer = loop.schedule(after: settings.headerTimeoutMilliseconds) { [weak self] in
            self?.timer = nil
            self?.fail(SystemError("proxy protocol", code: ETIMEDOUT), reason: "no header in time")
        }
    }

    package func setInterest(_ interest: Interest) throws(SystemError) {
        self.interest = interest
        if case .passing = phase { try inner.setInterest(interest) }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        switch phase {
        case .passing: inner.read(into: buffer)
        case .header: .wouldBlock
        case .failed(let error): .failed(error)
        }
    }

    package func write(_ vectors: UnsafeBufferPointer<iovec>) -> IOResult<Int> {
        switch phase {
        case .passing: inner.write(vectors)
        case .header: .wouldBlock
        case .failed(let error): .failed(error)
        }
    }

    package func shutdownWrite() {
        inner.shutdownWrite()
    }

    package func close() {
        if let timer { loop?.cancel(timer) }
        timer = nil
        handler = nil
        inner.close()
    }

    // MARK: Reading the header

    package func handleEvents(_ events: UInt32) {
        switch phase {
        case .passing: handler?.handleEvents(events)
        case .header: readHeader()
        case .failed: handler?.handleEvents(Interest.readable.rawValue)
        }
    }

    private func readHeader() {
        guard let loop else { return }
        while case .header = phase {
            let wanted = min(parser.wanted, loop.receiveBuffer.count)
            let buffer = UnsafeMutableRawBufferPointer(rebasing: loop.receiveBuffer[0..<wanted])
            switch inner.read(into: buffer) {
            case .wouldBlock:
                return
            case .failed(let error):
                fail(error, reason: "read failed")
            case .done(0):
                fail(SystemError("proxy protocol", code: ECONNRESET), reason: "closed before the header")
            case .done(let count):
                switch parser.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                case .needMore: continue
                case .complete(let header, _): accept(header)
                case .failure(let error): fail(SystemError("proxy protocol", code: EPROTO), reason: error.description)
                }
            }
        }
    }

    private func accept(_ header: ProxyHeader) {
        if let timer { loop?.cancel(timer) }
        timer = nil
        if let source = header.source { peer = source.address }
        phase = .passing
        settings.statistics?.headerAccepted()
        do throws(SystemError) {
            try inner.setInterest(interest)
        } catch {
            phase = .failed(error)
            handler?.handleEvents(Interest.readable.rawValue)
        }
    }

    /// Makes the layer above read the error, so its connection closes as on any I/O error.
    private func fail(_ error: SystemError, reason: String) {
        guard case .header = phase else { return }
        if let timer { loop?.cancel(timer) }
        timer = nil
        phase = .failed(error)
        settings.statistics?.headerRejected()
        if Log.enabled(.debug) {
            Log.write(.debug, "proxy protocol: header rejected", ["peer": "\(inner.peer)", "reason": reason])
        }
        handler?.handleEvents(Interest.readable.rawValue)
    }
}
