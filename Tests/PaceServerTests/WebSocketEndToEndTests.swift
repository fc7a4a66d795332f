#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceServer
import PaceTestSupport
import Testing

@Suite("WebSocket over real sockets (echo mode)")
struct WebSocketEndToEndTests {
    private func withEcho(maxMessageBytes: Int = 1 << 20, _ body: (HTTPServer) throws -> Void) throws {
        let server = try HTTPServer(host: "127.0.0.1", port: 0, loops: 2, configuration: HTTPServerConfiguration(),
                                    handler: EchoServer(maxMessageBytes: maxMessageBytes))
        defer { server.shutdown(graceMilliseconds: 1000) }
        try body(server)
    }

    @Test func upgradesAndEchoesTextAndBinary() throws {
        try withEcho { server in
            let socket = try WebSocketTestClient(port: server.port)
            #expect(socket.handshake?.status == 101)
            #expect(socket.handshake?.header("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            socket.send(text: "hello")
            #expect(socket.readFrame() == .init(fin: true, opcode: 1, payload: Array("hello".utf8)))
            let big = [UInt8](repeating: 7, count: 70_000)
            socket.send(opcode: 2, payload: big)
            #expect(socket.readFrame()?.payload == big)
        }
    }

    @Test func framesSentWithTheHandshakeAreNotLost() throws {
        try withEcho { server in
            let client = try TestClient(port: server.port)
            var request = "GET /x HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            client.send(Array(request.utf8) + WebSocketTestClient.frame(opcode: 1, payload: Array("early".utf8)))
            #expect(client.readResponse(headRequest: true)?.status == 101)
            let rest = client.takeBuffered()
            var tail = rest
            if tail.count < 7 {
                var chunk = [UInt8](repeating: 0, count: 64)
                let count = chunk.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
                if count > 0 { tail += chunk[0..<count] }
            }
            #expect(Array(tail.suffix(5)) == Array("early".utf8))
        }
    }

    @Test func pingIsAnsweredWithPongAndFragmentsAreReassembled() throws {
        try withEcho { server in
            let socket = try WebSocketTestClient(port: server.port)
            socket.send(opcode: 1, payload: Array("frag".utf8), fin: false)
            socket.send(opcode: 9, payload: [1, 2, 3])
            socket.send(opcode: 0, payload: Array("ment".utf8), fin: true)
            #expect(socket.readFrame() == .init(fin: true, opcode: 10, payload: [1, 2, 3]))
            #expect(socket.readFrame()?.text == "fragment")
        }
    }

    @Test func closeIsEchoedAndTheTCPConnectionEnds() throws {
        try withEcho { server in
            let socket = try WebSocketTestClient(port: server.port)
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
        try withEcho { server in
            let socket = try WebSocketTestClient(port: server.port)
            socket.client.send(frame)
            #expect(socket.readDataOrClose()?.closeCode == code, "\(name)")
            #expect(socket.readsEOF())
        }
    }

    @Test func anOversizedMessageClosesWith1009() throws {
        try withEcho(maxMessageBytes: 1000) { server in
            let socket = try WebSocketTestClient(port: server.port)
            socket.send(opcode: 1, payload: [UInt8](repeating: 0x61, count: 1001))
            #expect(socket.readDataOrClose()?.closeCode == 1009)
        }
    }

    @Test func aBadHandshakeIsRefusedWithoutUpgrading() throws {
        try withEcho { server in
            let wrongVersion = try TestClient(port: server.port)
            wrongVersion.send("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
            let answer = try #require(wrongVersion.readResponse())
            #expect(answer.status == 426)
            #expect(answer.header("sec-websocket-version") == "13")
            let plain = try TestClient(port: server.port)
            plain.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(plain.readResponse()?.status == 400)
        }
    }

    @Test func shutdownClosesWebSocketsWith1001() throws {
        let server = try HTTPServer(host: "127.0.0.1", port: 0, loops: 1, configuration: HTTPServerConfiguration(),
                                    handler: EchoServer())
        let socket = try WebSocketTestClient(port: server.port)
        #expect(socket.handshake?.status == 101)
        let stopper = try OSThreadForTests { server.shutdown(graceMilliseconds: 3000) }
        let frame = socket.readDataOrClose()
        #expect(frame?.closeCode == 1001)
        socket.sendClose(code: 1001)
        stopper.join()
    }
}
