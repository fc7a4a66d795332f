import PaceTLS
import Testing

@Suite("TLS engine handshake and data, in memory")
struct HandshakeTests {
    @Test("handshake, data both ways and close_notify", arguments: Chunking.allCases)
    func roundTrip(chunking: Chunking) throws {
        let identity = try TLSFixture.identity()
        let pair = EnginePair(client: try TLSFixture.client().makeEngine(), server: identity.makeEngine(),
                              chunking: chunking)
        try pair.handshake()
        #expect(pair.client.engine.isEstablished && pair.server.engine.isEstablished)
        #expect(pair.server.engine.protocolVersion == "TLSv1.3")

        try pair.client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        try pair.pump()
        #expect(pair.server.text == "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")

        let large = String(repeating: "0123456789abcdef", count: 3000)
        try pair.server.send(large)
        try pair.pump()
        #expect(pair.client.text == large)

        pair.client.engine.close()
        try pair.pump()
        #expect(pair.server.sawCloseNotify)
        try pair.server.engine.endOfInput()
        #expect(throws: TLSError.closed) { try pair.client.send("after close") }
    }

    @Test("a TLS 1.2-only client gets TLS 1.2 with an ECDHE suite", arguments: Chunking.allCases)
    func tls12(chunking: Chunking) throws {
        let pair = EnginePair(client: try TLSFixture.client(versions: .tls12 ... .tls12).makeEngine(),
                              server: try TLSFixture.identity().makeEngine(), chunking: chunking)
        try pair.handshake()
        #expect(pair.server.engine.protocolVersion == "TLSv1.2")
        try pair.server.send("hello")
        try pair.pump()
        #expect(pair.client.text == "hello")
    }

    @Test("ALPN selects http/1.1 when offered, among others or alone")
    func alpnSelected() throws {
        for offer in [["http/1.1"], ["h2", "http/1.1"]] {
            let pair = EnginePair(client: try TLSFixture.client(protocols: offer).makeEngine(),
                                  server: try TLSFixture.identity().makeEngine())
            try pair.handshake()
            #expect(pair.server.engine.negotiatedProtocol == "http/1.1")
            #expect(pair.client.engine.negotiatedProtocol == "http/1.1")
        }
    }

    @Test("an h2-only or ALPN-less client still gets a handshake, with no protocol selected")
    func alpnNotOffered() throws {
        for offer in [["h2"], []] {
            let pair = EnginePair(client: try TLSFixture.client(protocols: offer).makeEngine(),
                                  server: try TLSFixture.identity().makeEngine())
            try pair.handshake()
            #expect(pair.server.engine.isEstablished)
            #expect(pair.server.engine.negotiatedProtocol == nil)
        }
    }

    @Test("a client that does not trust the name fails verification; the server sees its alert")
    func wrongHost() throws {
        let pair = EnginePair(client: try TLSFixture.client().makeEngine(host: "example.com"),
                              server: try TLSFixture.identity().makeEngine())
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(!pair.client.engine.isEstablished)
    }

    @Test("drained connections give back large memory buffers")
    func idleBuffersReleased() throws {
        let pair = EnginePair(client: try TLSFixture.client().makeEngine(), server: try TLSFixture.identity().makeEngine())
        try pair.handshake()
        try pair.server.send(String(repeating: "x", count: 64 * 1024))
        try pair.pump()
        #expect(pair.client.received.count == 64 * 1024)
        #expect(pair.server.engine.bufferCapacity <= 8192)
        #expect(pair.client.engine.bufferCapacity <= 8192)
    }
}
