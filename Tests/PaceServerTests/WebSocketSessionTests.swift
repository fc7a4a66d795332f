import PaceApp
import PaceServer
import PaceTestSupport
import Testing

@Suite("WebSocket session over in-memory connections (echo mode)")
struct WebSocketSessionTests {
    private func withEmbeddedEcho(maxMessageBytes: Int = 1 << 20, _ body: (EmbeddedServer) throws -> Void) throws {
        try withEmbeddedServer(handler: EchoServer(maxMessageBytes: maxMessageBytes), body)
    }

    @Test func framesSentWithTheHandshakeAreNotLost() throws {
        try withEmbeddedEcho { server in
            let client = server.client()
            var request = "GET /x HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            client.send(Array(request.utf8) + WebSocketTestClient.frame(opcode: 1, payload: Array("early".utf8)))
            #expect(client.readResponse(headRequest: true)?.status == 101)
            let rest = client.takeBuffered()
            var tail = rest
            if tail.count < 7, let more = client.receive() { tail += more }
            #expect(Array(tail.suffix(5)) == Array("early".utf8))
        }
    }

    @Test func pingIsAnsweredWithPongAndFragmentsAreReassembled() throws {
        try withEmbeddedEcho { server in
            let socket = WebSocketTestClient(over: server.client())
            socket.send(opcode: 1, payload: Array("frag".utf8), fin: false)
            socket.send(opcode: 9, payload: [1, 2, 3])
            socket.send(opcode: 0, payload: Array("ment".utf8), fin: true)
            #expect(socket.readFrame() == .init(fin: true, opcode: 10, payload: [1, 2, 3]))
            #expect(socket.readFrame()?.text == "fragment")
        }
    }

    @Test func closeIsEchoedAndTheTCPConnectionEnds() throws {
        try withEmbeddedEcho { server in
            let socket = WebSocketTestClient(over: server.client())
            socket.sendClose(code: 3001)
            #expect(socket.readFrame()?.closeCode == 3001)
            #expect(socket.readsEOF())
        }
    }

    @Test(arguments: [
        ("invalid UTF-8", WebSocketTestClient.frame(opcode: 1, payload: [0xCE, 0xBA, 0xED, 0xA0, 0x80]), UInt16(1007)),
        ("unmasked frame", [0x81, 0x02, 0x68, 0x69], UInt16(1002)),
        ("reserved opcode", WebSocketTestClient.frame(opcode: 3, payload: []), UInt16(1002)),
        ("continuation without start", WebSocketTestClient.frame(opcode: 0, payload: [1]), UInt16(1002)),
        ("invalid close code", WebSocketTestClient.frame(opcode: 8, payload: [0x03, 0xEC]), UInt16(1002)),
    ] as [(String, [UInt8], UInt16)])
    func protocolViolationsCloseWithTheRightCode(name: String, frame: [UInt8], code: UInt16) throws {
        try withEmbeddedEcho { server in
            let socket = WebSocketTestClient(over: server.client())
            socket.client.send(frame)
            #expect(socket.readDataOrClose()?.closeCode == code, "\(name)")
            #expect(socket.readsEOF())
        }
    }

    @Test func anOversizedMessageClosesWith1009() throws {
        try withEmbeddedEcho(maxMessageBytes: 1000) { server in
            let socket = WebSocketTestClient(over: server.client())
            socket.send(opcode: 1, payload: [UInt8](repeating: 0x61, count: 1001))
            #expect(socket.readDataOrClose()?.closeCode == 1009)
        }
    }

    @Test func aBadHandshakeIsRefusedWithoutUpgrading() throws {
        try withEmbeddedEcho { server in
            let wrongVersion = server.client()
            wrongVersion.send("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
            let answer = try #require(wrongVersion.readResponse())
            #expect(answer.status == 426)
            #expect(answer.header("sec-websocket-version") == "13")
            let plain = server.client()
            plain.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(plain.readResponse()?.status == 400)
        }
    }
}
