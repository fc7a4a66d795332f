#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
import PaceHTTP
import PaceLoop
import PaceServer
import PaceSystem
import PaceTestSupport
import Testing

/// Answers every request with `peer client forwarded`, so a test sees who the server thinks
/// it is talking to.
private final class PeerHandler: HTTPHandler {
    func exchange(for request: HTTPRequest) -> any HTTPExchange { PeerExchange() }
}

private struct PeerExchange: HTTPExchange {
    var bodyLimit: Int { 0 }

    func respond(to request: HTTPRequest, responder: HTTPResponder) {
        let text = "\(request.peer) \(request.client.address) \(request.client.isForwarded)"
        responder.send(HTTPResponse(status: 200, body: .bytes(Array(text.utf8))))
    }
}

@Suite("PROXY protocol transport")
struct ProxyProtocolTransportTests {
    static let proxy = IPAddress("10.0.0.2")!
    static let get = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

    /// A server on its own loop thread; each client's memory transport is wrapped.
    final class Fixture {
        let server: HTTPServer
        let statistics = ProxyProtocolStatistics()
        let settings: ProxyProtocolTransport.Settings

        init(trusted: String = "10.0.0.0/8", timeout: Int64 = 5_000, forwarding: Bool = false) throws {
            var configuration = HTTPServerConfiguration()
            configuration.sweepIntervalMilliseconds = 50
            if forwarding { configuration.trustedProxies = try TrustedProxies(parsing: trusted) }
            server = try HTTPServer(unboundLoops: 1, configuration: configuration, handler: PeerHandler())
            settings = .init(trustedProxies: try TrustedProxies(parsing: trusted), headerTimeoutMilliseconds: timeout,
                             statistics: statistics)
        }

        deinit { server.shutdown(graceMilliseconds: 500) }

        func client(peer: IPAddress = ProxyProtocolTransportTests.proxy) -> MemoryClient {
            let memory = MemoryTransport(peer: peer)
            server.connect(ProxyProtocolTransport(wrapping: memory, settings: settings))
            return MemoryClient(memory, timeoutSeconds: 3) { usleep(100) }
        }
    }

    static func v2(command: UInt8 = 0x21, family: UInt8, body: [UInt8]) -> [UInt8] {
        ProxyHeaderParser.signature + [command, family, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    static let ipv6Source: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [0x05]
        + Array(repeating: 0, count: 15) + [0x01] + [0xC3, 0x50, 0x01, 0xBB]

    @Test func theHeaderSourceBecomesThePeerAndTheRestPassesThrough() throws {
        let fixture = try Fixture()
        let client = fixture.client()
        for byte in Self.v2(family: 0x21, body: Self.ipv6Source) + Self.get { client.send([byte]) }
        let response = try #require(client.readResponse())
        #expect(response.text == "2001:db8::5 2001:db8::5 false")
        #expect(fixture.statistics.acceptedCount == 1)
    }

    @Test func headerAndRequestInOneWrite() throws {
        let fixture = try Fixture()
        let client = fixture.client()
        client.send(Array("PROXY TCP4 203.0.113.9 10.0.0.1 5000 443\r\n".utf8) + Self.get + Self.get)
        #expect(try #require(client.readResponse()).text == "203.0.113.9 203.0.113.9 false")
        #expect(try #require(client.readResponse()).text == "203.0.113.9 203.0.113.9 false", "pipelined")
    }

    @Test func localCommandKeepsTheTCPPeer() throws {
        let fixture = try Fixture()
        let client = fixture.client()
        client.send(Self.v2(command: 0x20, family: 0x00, body: []) + Self.get)
        #expect(try #require(client.readResponse()).text == "10.0.0.2 10.0.0.2 false")
    }

    @Test func forwardingHeadersContinueFromTheProxiedSource() throws {
        let fixture = try Fixture(trusted: "10.0.0.0/8", forwarding: true)
        let client = fixture.client()
        let request = "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.4\r\n\r\n"
        client.send(Array("PROXY TCP4 10.9.9.9 10.0.0.1 5000 443\r\n\(request)".utf8))
        #expect(try #require(client.readResponse()).text == "10.9.9.9 198.51.100.4 true")
    }

    @Test func anUntrustedPeerIsClosedUnread() throws {
        let fixture = try Fixture()
        let client = fixture.client(peer: IPAddress("192.0.2.1")!)
        client.send(Array("PROXY TCP4 203.0.113.9 10.0.0.1 5000 443\r\n".utf8) + Self.get)
        #expect(client.readsEOF())
        #expect(client.transport.isClosed)
        #expect(fixture.statistics.rejectedCount == 1)
    }

    @Test(arguments: [
        Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
        Array("PROXY TCP4 203.0.113.9\r\n".utf8),
        ProxyHeaderParser.signature + [0x21, 0x12, 0x00, 0x0C] + Array(repeating: 1, count: 12),
        ProxyHeaderParser.signature + [0x21, 0x11, 0xFF, 0xFF],
    ])
    func aMalformedHeaderClosesOnlyThatConnection(header: [UInt8]) throws {
        let fixture = try Fixture()
        let good = fixture.client()
        good.send(Array("PROXY TCP4 203.0.113.9 10.0.0.1 5000 443\r\n".utf8))
        let bad = fixture.client()
        bad.send(header + Self.get)
        #expect(bad.readsEOF())
        #expect(bad.transport.isClosed)
        good.send(Self.get)
        #expect(try #require(good.readResponse()).text == "203.0.113.9 203.0.113.9 false")
        #expect(fixture.statistics.rejectedCount == 1)
    }

    @Test func aHeaderThatDoesNotArriveInTimeCloses() throws {
        let fixture = try Fixture(timeout: 100)
        let client = fixture.client()
        client.send(Array(ProxyHeaderParser.signature.prefix(5)))
        let started = Clock.monotonicMilliseconds()
        #expect(client.readsEOF())
        #expect(Clock.monotonicMilliseconds() - started < 2_000)
        #expect(fixture.statistics.rejectedCount == 1)
    }
}
