import PaceTLS
import Testing

@Suite("TLS engine bad input")
struct BadInputTests {
    @Test("plain HTTP on the TLS port fails on its first byte")
    func plaintextHTTP() throws {
        for request in ["GET / HTTP/1.1\r\n\r\n", "G", "POST /api HTTP/1.1\r\n", "PRI * HTTP/2.0"] {
            let server = try TLSFixture.identity().makeEngine()
            #expect(throws: TLSError.plaintextHTTP) {
                try Array(request.utf8).withUnsafeBytes { try server.feed($0) }
            }
            #expect(throws: TLSError.plaintextHTTP) { try server.handshake() }
        }
    }

    @Test("a first byte that starts no TLS record is not TLS")
    func notTLS() throws {
        for first: UInt8 in [0x00, 0x17, 0x80, 0xff, UInt8(ascii: "g")] {
            let server = try TLSFixture.identity().makeEngine()
            #expect(throws: TLSError.notTLS) { try [first, 3, 1].withUnsafeBytes { try server.feed($0) } }
        }
    }

    @Test("a truncated ClientHello waits for more, then end of stream is a truncated handshake")
    func truncatedClientHello() throws {
        let client = try TLSFixture.client().makeEngine()
        let server = try TLSFixture.identity().makeEngine()
        #expect(try client.handshake() == false)
        var hello = [UInt8](repeating: 0, count: client.pendingCiphertext)
        let count = hello.withUnsafeMutableBytes { client.takeCiphertext(into: $0) }
        #expect(count > 100)
        for cut in [1, 5, 6, count / 2, count - 1] {
            let server = try TLSFixture.identity().makeEngine()
            try hello[0..<cut].withUnsafeBytes { try server.feed($0) }
            #expect(try server.handshake() == false)
            #expect(server.pendingCiphertext == 0)
            #expect(throws: TLSError.truncatedHandshake) { try server.endOfInput() }
        }
        _ = server
    }

    @Test("garbage records after the handshake are a protocol violation with an alert queued")
    func garbageMidStream() throws {
        let garbage: [[UInt8]] = [
            [0x17, 0x03, 0x03, 0x00, 0x20] + [UInt8](repeating: 0xAB, count: 32),  // bad MAC
            [0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42],  // no record header at all
            [0x17, 0x03, 0x03, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 16),  // oversized length
        ]
        for bytes in garbage {
            let pair = EnginePair(client: try TLSFixture.client().makeEngine(), server: try TLSFixture.identity().makeEngine())
            try pair.handshake()
            try bytes.withUnsafeBytes { try pair.server.engine.feed($0) }
            do {
                try pair.server.drive()
                Issue.record("garbage \(bytes.prefix(5)) accepted")
            } catch {
                guard case TLSError.protocolViolation = error else { Issue.record("unexpected \(error)"); continue }
            }
            #expect(pair.server.engine.pendingCiphertext > 0, "an alert for the peer")
            #expect(throws: TLSError.self) { try pair.server.drive() }
        }
    }

    @Test("end of stream after the handshake without close_notify is reported as unexpected")
    func unexpectedEOF() throws {
        let pair = EnginePair(client: try TLSFixture.client().makeEngine(), server: try TLSFixture.identity().makeEngine())
        try pair.handshake()
        try pair.client.send("partial")
        try pair.pump()
        #expect(pair.server.text == "partial")
        #expect(throws: TLSError.unexpectedEOF) { try pair.server.engine.endOfInput() }
    }

    @Test("a TLS 1.1-only client is refused with a handshake failure")
    func tls11Refused() throws {
        let pair = EnginePair(client: try TLSFixture.client(versions: .tls11 ... .tls11).makeEngine(),
                              server: try TLSFixture.identity().makeEngine())
        do {
            try pair.handshake()
            Issue.record("TLS 1.1 accepted")
        } catch {
            guard case TLSError.handshakeFailed(let failure) = error else { Issue.record("unexpected \(error)"); return }
            #expect(failure.text.contains("unsupported protocol"))
        }
        #expect(!pair.server.engine.isEstablished)
    }

    @Test("application data before the handshake is refused")
    func dataBeforeHandshake() throws {
        let server = Endpoint(try TLSFixture.identity().makeEngine())
        #expect(throws: TLSError.handshakeIncomplete) { try server.send("early") }
    }
}
