import PaceLoop
import PaceSystem
import PaceTLS
import Synchronization

/// Limits of the TLS layer on one listener.
package struct TLSTransportSettings: Sendable {
    /// From registration to a finished handshake; a slower client is dropped.
    package var handshakeTimeoutMilliseconds: Int64 = 10_000
    /// Handshakes in progress per loop beyond which new connections are closed at once: a
    /// handshake costs a signature and a key exchange, so a flood of them must not starve the
    /// connections already established. One loop finishes a few thousand per second.
    package var maxHandshakesPerLoop = 512
    /// How long a closed connection may keep flushing its last records and close_notify to a
    /// peer that reads slowly, as the kernel does with a socket's send buffer.
    package var closeFlushTimeoutMilliseconds: Int64 = 5_000

    package init() {}
}

/// Wraps transports in TLS with one server identity. One factory per listener, with its own
/// `TLSTransportEnvironment` (limits, counters, per-loop buffers).
///
/// Compose it over any inner transport: `factory.wrap(inner)`; `factory.over(inner)` is the
/// `HTTPServer.TransportFactory` to hand the server (TLS over plain sockets by default, or over
/// the PROXY-protocol transport, whose header precedes the ClientHello).
package final class TLSTransportFactory: Sendable {
    package let identity: TLSServerIdentity
    package let environment: TLSTransportEnvironment

    package init(identity: TLSServerIdentity, settings: TLSTransportSettings = TLSTransportSettings()) {
        self.identity = identity
        environment = TLSTransportEnvironment(settings: settings)
    }

    package var settings: TLSTransportSettings { environment.settings }
    package var statistics: TLSStatistics { environment.statistics }

    /// A TLS server transport over `inner`, on the identity's current certificate. Call it
    /// on the loop thread that will serve the connection.
    package func wrap(_ inner: Transport) -> Transport {
        TLSTransport(inner: inner, engine: identity.makeEngine(), environment: environment)
    }

    /// TLS over the transport `inner` makes of each accepted socket.
    package func over(_ inner: @escaping HTTPServer.TransportFactory = HTTPServer.plainTransport)
        -> HTTPServer.TransportFactory {
        { [self] accepted in wrap(inner(accepted)) }
    }

    /// Handshakes in progress on loop `index`, for tests and metrics. Loop thread only.
    package func handshakesInProgress(loop index: Int) -> Int {
        environment.handshakesInProgress(loop: index)
    }
}

/// What the TLS transports of one listener (or one outbound client) share: their limits,
/// their handshake counters, and each loop's handshake count and scratch buffers, keyed by
/// loop index.
package final class TLSTransportEnvironment: Sendable {
    package let settings: TLSTransportSettings
    package let statistics = TLSStatistics()
    private let loops = Mutex<[Int: TLSLoopStateBox]>([:])

    package init(settings: TLSTransportSettings = TLSTransportSettings()) {
        self.settings = settings
    }

    func handshakesInProgress(loop index: Int) -> Int {
        loops.withLock { $0[index]?.state.handshakes ?? 0 }
    }

    func state(for loop: EventLoop) -> TLSLoopState {
        loops.withLock { states in
            if let box = states[loop.index] { return box.state }
            let state = TLSLoopState()
            states[loop.index] = TLSLoopStateBox(state: state)
            return state
        }
    }
}

/// What the TLS connections of one loop share. Confined to that loop's thread.
final class TLSLoopState {
    /// Ciphertext taken from an engine on its way to the inner transport; whatever the inner
    /// transport does not take is copied out before the next connection uses it.
    let scratch: UnsafeMutableRawBufferPointer
    /// Plaintext gathered from a write's vectors, so frames queued together leave as one TLS
    /// record (up to 16 KiB each) instead of one record, one AEAD pass and 22 bytes of
    /// overhead per frame. Filled and encrypted within one `write`.
    let gathered: UnsafeMutableRawBufferPointer
    /// Connections of this loop between registration and the end of their handshake.
    var handshakes = 0

    static let scratchBytes = 32 * 1024

    init() {
        scratch = .allocate(byteCount: Self.scratchBytes, alignment: 16)
        gathered = .allocate(byteCount: TLSTransport.plaintextPerWrite, alignment: 16)
    }

    deinit {
        scratch.deallocate()
        gathered.deallocate()
    }
}

/// `@unchecked Sendable`: the state is created under the environment's mutex and then used only
/// on the thread of the loop it belongs to.
private struct TLSLoopStateBox: @unchecked Sendable {
    let state: TLSLoopState
}
