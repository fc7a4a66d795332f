#if canImport(Glibc)
import Glibc
#endif
import PaceServer
import PaceSystem
import PaceTestSupport
import Testing

@Suite("HTTP server over real sockets")
struct ServerEndToEndTests {
    @Test func answersAndKeepsTheConnectionAlive() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            for path in ["/a", "/b"] {
                client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try #require(client.readResponse())
                #expect(response.status == 200)
                #expect(response.text == path)
                #expect(response.header("date")?.hasSuffix(" GMT") == true)
                #expect(response.header("connection") == nil)
            }
        }
    }

    @Test func shutdownFinishesRequestsInFlight() throws {
        var configuration = HTTPServerConfiguration()
        configuration.sweepIntervalMilliseconds = 50
        let server = try HTTPServer(host: "127.0.0.1", port: 0, loops: 1, configuration: configuration, handler: EchoHandler())
        let client = try TestClient(port: server.port)
        client.send("GET /slow/200 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(50_000)
        server.shutdown(graceMilliseconds: 2000)
        let response = try #require(client.readResponse())
        #expect(response.text == "/slow/200")
        #expect(response.header("connection") == "close")
        #expect(throws: TestClientError.self) { try TestClient(port: server.port) }
    }

    @Test func aPeerThatNeverReadsIsDroppedAtTheOutboundLimit() throws {
        try withServer({ $0.outboundLimit = 512 * 1024 }) { server in
            let client = try TestClient(port: server.port, receiveBuffer: 4096)
            let requests = String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: 200)
            client.send(requests)
            let deadline = Clock.monotonicMilliseconds() + 5000
            while server.openConnections > 0 && Clock.monotonicMilliseconds() < deadline { usleep(10_000) }
            #expect(server.openConnections == 0)
            let other = try TestClient(port: server.port)
            other.send("GET /still-here HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(other.readResponse()?.text == "/still-here")
        }
    }

    @Test func manyConcurrentConnectionsAreAllServed() throws {
        try withServer { server in
            let clients = try (0..<300).map { _ in try TestClient(port: server.port) }
            for (index, client) in clients.enumerated() { client.send("GET /c\(index) HTTP/1.1\r\nHost: x\r\n\r\n") }
            for (index, client) in clients.enumerated() { #expect(client.readResponse()?.text == "/c\(index)") }
            #expect(server.openConnections == 300)
        }
    }
}
