import PaceHTTP
import PaceServer
import PaceSystem
import PaceTestSupport
import PaceTLS
import Synchronization
import Testing

/// Pace's outbound HTTP client over TLS, against the chat server's own HTTPS listener on
/// loopback: a verified exchange by name and by IP literal, connection reuse (one handshake for
/// several requests), and refusals of an untrusted certificate and of plain http leaving the
/// machine.
@Suite("HTTP client over TLS")
struct HTTPClientTLSTests {
    private func client(caFile: String = TestCertificates.certificatePath, allowPlainHTTP: Bool = false) throws -> HTTPClient {
        var settings = HTTPClient.Settings()
        settings.allowPrivateAddresses = true
        settings.allowPlainHTTP = allowPlainHTTP
        settings.caFile = caFile
        return try HTTPClient(settings: settings)
    }

    private func get(_ client: HTTPClient, _ url: String) throws -> Result<ClientResponse, HTTPClientError> {
        let latch = CountdownLatch(count: 1)
        let result = Mutex<Result<ClientResponse, HTTPClientError>?>(nil)
        client.send(OutboundRequest(method: "GET", url: try #require(OutboundURL(url)), timeoutMilliseconds: 5_000)) { outcome in
            result.withLock { $0 = outcome }
            latch.countDown()
        }
        latch.wait()
        return try #require(result.withLock { $0 })
    }

    private func completedHandshakes(_ client: HTTPClient, _ port: UInt16) throws -> String? {
        let metrics = try get(client, "https://localhost:\(port)/metrics").get()
        let text = String(decoding: metrics.body, as: UTF8.self)
        return text.split(separator: "\n").first { $0.hasPrefix("pace_tls_handshakes_total{result=\"completed\"}") }
            .map(String.init)
    }

    @Test("https by name and by IP literal, verified, and one handshake for several requests")
    func verifiedAndReused() throws {
        let (app, directory) = try TLSEndToEndTests.tlsApp()
        defer { TemporaryDirectory.remove(directory) }
        let client = try client()
        defer { client.shutdown() }
        for _ in 0..<3 {
            let response = try get(client, "https://localhost:\(app.port)/healthz").get()
            #expect(response.status == 200)
        }
        #expect(try completedHandshakes(client, app.port) == "pace_tls_handshakes_total{result=\"completed\"} 1")
        #expect(try get(client, "https://127.0.0.1:\(app.port)/healthz").map(\.status) == .success(200),
                "the certificate names 127.0.0.1 among its addresses")
    }

    @Test("a certificate the client does not trust is refused as a TLS failure, and no request leaves")
    func untrustedCertificate() throws {
        let (app, directory) = try TLSEndToEndTests.tlsApp()
        defer { TemporaryDirectory.remove(directory) }
        let client = try client(caFile: TestCertificates.otherCertificatePath)
        defer { client.shutdown() }
        #expect(try get(client, "https://localhost:\(app.port)/healthz") == .failure(.tlsHandshake))
    }

    @Test("a trusted certificate that names another host is refused, by name and by address")
    func wrongName() throws {
        let elsewhere = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(elsewhere) }
        try TestCertificates.write(SelfSignedCertificate.generate(names: "DNS:chat.example.net,IP:192.0.2.7"),
                                   to: elsewhere, prefix: "")
        let (app, directory) = try TLSEndToEndTests.tlsApp {
            $0.certificateChain = elsewhere + "/cert.pem"
            $0.privateKey = elsewhere + "/key.pem"
        }
        defer { TemporaryDirectory.remove(directory) }
        let client = try client(caFile: elsewhere + "/cert.pem")
        defer { client.shutdown() }
        #expect(try get(client, "https://localhost:\(app.port)/healthz") == .failure(.tlsHandshake))
        #expect(try get(client, "https://127.0.0.1:\(app.port)/healthz") == .failure(.tlsHandshake))
    }

    @Test("plain http reaches loopback; elsewhere only when allowed")
    func plainHTTPStaysOnTheMachine() throws {
        let sockets = try TestApp(sockets: true)
        let client = try client()
        defer { client.shutdown() }
        #expect(try get(client, "http://127.0.0.1:\(sockets.port)/healthz").map(\.status) == .success(200))
        // 192.0.2.1 (TEST-NET-1) is never routed: refused before any connect is tried.
        var settings = HTTPClient.Settings()
        settings.allowPrivateAddresses = true
        let strict = try HTTPClient(settings: settings)
        defer { strict.shutdown() }
        #expect(try get(strict, "http://192.0.2.1:9/") == .failure(.schemeNotAllowed))
    }
}
