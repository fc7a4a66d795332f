import Synchronization

/// The server's certificate and key files and the context currently built from them. `reload`
/// builds a new context from the files (SIGHUP); new connections get it, while existing ones
/// keep the one they started with until they end, and the shared ticket keys keep sessions
/// from either resumable. A failed reload leaves the running context in place.
package final class TLSServerIdentity: Sendable {
    package let certificateChain: String
    package let privateKey: String
    package let tickets: TicketKeyRing
    private let current: Mutex<TLSServerContext>

    package init(certificateChain: String, privateKey: String,
                 tickets: TicketKeyRing = TicketKeyRing()) throws(TLSConfigurationError) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.tickets = tickets
        current = Mutex(try TLSServerContext(certificateChain: certificateChain, privateKey: privateKey,
                                             tickets: tickets))
    }

    /// The context new connections use.
    package var context: TLSServerContext { current.withLock { $0 } }

    /// A server engine on the current context.
    package func makeEngine() -> TLSEngine { context.makeEngine() }

    /// Re-reads the files into a new context. Runs file I/O: call it off the event loops.
    package func reload() throws(TLSConfigurationError) {
        let fresh = try TLSServerContext(certificateChain: certificateChain, privateKey: privateKey, tickets: tickets)
        current.withLock { $0 = fresh }
    }
}
