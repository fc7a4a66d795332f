#if canImport(Glibc)
import Glibc
#endif
import PaceServer
import PaceSystem
import PaceTestSupport
import Testing

@Suite("Streamed response bodies")
struct StreamingResponseTests {
    private func withHandler(_ body: (HTTPServer, EchoHandler) throws -> Void) throws {
        let handler = EchoHandler()
        let server = try HTTPServer(host: "127.0.0.1", port: 0, loops: 1, configuration: HTTPServerConfiguration(),
                                    handler: handler)
        defer { server.shutdown(graceMilliseconds: 1000) }
        try body(server, handler)
    }

    @Test func aLargeStreamedBodyArrivesIntactAndTheConnectionIsReused() throws {
        try withHandler { server, handler in
            let client = try TestClient(port: server.port)
            client.send("GET /download/3000000 HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.header("content-length") == "3000000")
            #expect(response.body.count == 3_000_000)
            #expect(response.body.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
            #expect(client.readResponse()?.text == "/after")
            #expect(handler.producers.withLock { $0.first?.closed } == true)
        }
    }

    @Test func aClientThatDoesNotReadHoldsBackTheProducer() throws {
        try withHandler { server, handler in
            let client = try TestClient(port: server.port, receiveBuffer: 4096)
            client.send("GET /download/50000000 HTTP/1.1\r\nHost: x\r\n\r\n")
            usleep(500_000)
            let produced = handler.producers.withLock { $0.first?.produced } ?? 0
            #expect(produced > 0)
            #expect(produced < 8 << 20, "produced \(produced) bytes for a client that reads nothing")
        }
    }

    @Test func headGetsTheLengthWithoutTheBody() throws {
        try withHandler { server, _ in
            let client = try TestClient(port: server.port)
            client.send("HEAD /download/5000 HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try #require(client.readResponse(headRequest: true))
            #expect(head.header("content-length") == "5000")
            #expect(client.readResponse()?.text == "/next")
        }
    }

    @Test func aStreamEndingShortOfItsLengthClosesTheConnection() throws {
        try withHandler { server, _ in
            let client = try TestClient(port: server.port)
            client.send("GET /short HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(client.readResponse() == nil)
        }
    }
}
