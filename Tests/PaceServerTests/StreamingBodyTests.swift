#if canImport(Glibc)
import Glibc
#endif
import PaceServer
import PaceSystem
import PaceTestSupport
import Testing

@Suite("Streamed request bodies")
struct StreamingBodyTests {
    private func withHandler(_ body: (HTTPServer, EchoHandler) throws -> Void) throws {
        let handler = EchoHandler()
        var configuration = HTTPServerConfiguration()
        configuration.sweepIntervalMilliseconds = 50
        let server = try HTTPServer(host: "127.0.0.1", port: 0, loops: 1, configuration: configuration, handler: handler)
        defer { server.shutdown(graceMilliseconds: 1000) }
        try body(server, handler)
    }

    @Test func aLargeBodyArrivesInBoundedChunks() throws {
        try withHandler { server, handler in
            let client = try TestClient(port: server.port)
            let size = 1_000_000
            client.send("POST /stream HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n")
            client.send([UInt8](repeating: 0x41, count: size))
            let response = try #require(client.readResponse())
            let parts = response.text.split(separator: " ")
            #expect(parts.first == "\(size)")
            let stream = try #require(handler.streams.withLock { $0.first })
            #expect(stream.largestChunk <= 64 * 1024)
            #expect(stream.chunks >= size / (64 * 1024))
            #expect(!stream.aborted)
        }
    }

    @Test func aChunkedBodyIsStreamedToo() throws {
        try withHandler { server, _ in
            let client = try TestClient(port: server.port)
            client.send("POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            #expect(client.readResponse()?.text.hasPrefix("11 ") == true)
        }
    }

    @Test func aClientThatLeavesMidwayAbortsTheStream() throws {
        try withHandler { server, handler in
            do {
                let client = try TestClient(port: server.port)
                client.send("POST /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n")
                client.send([UInt8](repeating: 0x41, count: 200_000))
                usleep(100_000)
            }
            let deadline = Clock.monotonicMilliseconds() + 3000
            while handler.streams.withLock({ $0.first?.aborted }) != true && Clock.monotonicMilliseconds() < deadline {
                usleep(10_000)
            }
            #expect(handler.streams.withLock { $0.first?.aborted } == true)
        }
    }

    @Test func aChunkedBodyGrowingPastTheLimitIs413AndAborts() throws {
        try withHandler { server, handler in
            let client = try TestClient(port: server.port)
            client.send("POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = [UInt8](repeating: 0x42, count: 1 << 20)
            for _ in 0..<5 {
                client.send(Array("100000\r\n".utf8) + chunk + Array("\r\n".utf8))
            }
            #expect(client.readResponse()?.status == 413)
            #expect(handler.streams.withLock { $0.first?.aborted } == true)
        }
    }
}
