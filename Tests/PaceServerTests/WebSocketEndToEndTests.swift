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
