import PaceTLS
import Synchronization
import Testing

@Suite("TLS session tickets and context reload")
struct SessionTicketTests {
    /// Handshakes a new client (resuming `session` if given) and returns the pair after the
    /// client has read the server's ticket.
    private func connect(_ identity: TLSServerIdentity, _ client: TLSClientContext,
                         resuming session: TLSSession? = nil) throws -> EnginePair {
        let pair = EnginePair(client: client.makeEngine(resuming: session), server: identity.makeEngine())
        try pair.handshake()
        try pair.server.send("ticket please")
        try pair.pump()
        #expect(pair.client.text == "ticket please")
        return pair
    }

    /// The client's session after a clean close: OpenSSL marks the session of a connection
    /// freed without close_notify as not resumable.
    private func ticket(_ identity: TLSServerIdentity, _ client: TLSClientContext) throws -> TLSSession {
        let pair = try connect(identity, client)
        pair.client.engine.close()
        try pair.pump()
        return try #require(pair.client.engine.session)
    }

    @Test("a ticket from one connection resumes the next", arguments: [TLSClientContext.Version.tls12, .tls13])
    func resumption(version: TLSClientContext.Version) throws {
        let identity = try TLSFixture.identity()
        let client = try TLSFixture.client(versions: version ... version)
        let first = try connect(identity, client)
        #expect(!first.server.engine.resumedSession)
        let session = try #require(first.client.engine.session)
        #expect(session.isResumable)

        let second = try connect(identity, client, resuming: session)
        #expect(second.server.engine.resumedSession)
        #expect(second.client.engine.resumedSession)
    }

    @Test("after one rotation old tickets still resume; after two they do not")
    func rotation() throws {
        let now = Mutex<Int64>(1_000)
        let tickets = TicketKeyRing(rotationInterval: 100, clock: { now.withLock { $0 } })
        let identity = try TLSFixture.identity(tickets: tickets)
        let client = try TLSFixture.client()
        let session = try ticket(identity, client)

        now.withLock { $0 += 100 }
        let afterOne = try connect(identity, client, resuming: session)
        #expect(afterOne.server.engine.resumedSession)

        let older = try ticket(identity, client)
        tickets.rotate()
        tickets.rotate()
        let afterTwo = try connect(identity, client, resuming: older)
        #expect(!afterTwo.server.engine.resumedSession)
    }

    @Test("a ticket from an unrelated server is ignored: full handshake")
    func foreignTicket() throws {
        let client = try TLSFixture.client()
        let session = try ticket(try TLSFixture.identity(), client)
        let other = try connect(try TLSFixture.identity(), client, resuming: session)
        #expect(!other.server.engine.resumedSession)
        #expect(other.server.engine.isEstablished)
    }

    @Test("reload: live connections keep their context, tickets from before resume after")
    func reload() throws {
        let identity = try TLSFixture.identity()
        let client = try TLSFixture.client()
        let before = try connect(identity, client)
        let session = try #require(before.client.engine.session)
        let oldContext = identity.context

        try identity.reload()
        #expect(identity.context !== oldContext)

        try before.client.send("still there?")
        try before.pump()
        #expect(before.server.text == "still there?")

        let resumed = try connect(identity, client, resuming: session)
        #expect(resumed.server.engine.resumedSession)
    }

    @Test("a reload from a missing file fails and keeps the running context")
    func failedReload() throws {
        let broken = try TLSServerIdentity(certificateChain: TLSFixture.certificatePath, privateKey: TLSFixture.keyPath)
        let context = broken.context
        #expect(throws: TLSConfigurationError.self) {
            try TLSServerIdentity(certificateChain: "/nonexistent/cert.pem", privateKey: TLSFixture.keyPath)
        }
        #expect(throws: TLSConfigurationError.self) {
            try TLSServerIdentity(certificateChain: TLSFixture.certificatePath, privateKey: TLSFixture.certificatePath)
        }
        #expect(broken.context === context)
    }
}
