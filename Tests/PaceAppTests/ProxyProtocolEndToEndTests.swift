import PaceApp
import PaceHTTP
import PaceTestSupport
import Testing

/// The PROXY protocol over real loopback sockets: the header's source is the client that
/// rate limits count, and a bad header costs only its own connection.
@Suite("PROXY protocol end to end")
struct ProxyProtocolEndToEndTests {
    private static func v2(source: [UInt8], port: UInt16 = 40_000) -> [UInt8] {
        let ipv6 = source.count == 16
        let destination: [UInt8] = ipv6 ? Array(repeating: 0, count: 15) + [1] : [127, 0, 0, 1]
        let body = source + destination + [UInt8(port >> 8), UInt8(port & 0xFF), 0x1F, 0x90]
        return ProxyHeaderParser.signature + [0x21, ipv6 ? 0x21 : 0x11, 0x00, UInt8(body.count)] + body
    }

    private static func login(_ username: String) -> [UInt8] {
        let body = #"{"username": "\#(username)", "password": "password123"}"#
        return Array(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
    }

    private func server() throws -> TestApp {
        try TestApp(environment: fastAccounts.merging(["PACE_RATE_LIMITS": "on", "PACE_RATE_LOGIN_PER_IP": "1/60"]) { $1 },
                    sockets: true) { configuration in
            try configuration.apply(environment: configuration.environment.merging(
                ["PACE_TRUSTED_PROXIES": "127.0.0.1", "PACE_PROXY_PROTOCOL": "on"]) { $1 })
        }
    }

    private func status(_ app: TestApp, header: [UInt8], _ request: [UInt8]) throws -> Int? {
        let client = try TestClient(port: app.port)
        client.send(header + request)
        return client.readResponse()?.status
    }

    @Test func theHeaderSourceIsTheRateLimitedClient() throws {
        let app = try server()
        let first = Self.v2(source: [203, 0, 113, 1])
        let second = Self.v2(source: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [2])
        #expect(try status(app, header: first, Self.login("a1")) == 401)
        #expect(try status(app, header: second, Self.login("b1")) == 401, "a second client through the same proxy")
        #expect(try status(app, header: first, Self.login("a2")) == 429)
        #expect(try status(app, header: Self.v2(source: [203, 0, 113, 1], port: 1), Self.login("a3")) == 429,
                "another connection of the same client")
    }

    @Test func theHeaderComesBeforeTheTLSHandshakeAndStillNamesTheClient() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        try TestCertificates.copy(TestCertificates.certificatePath, to: directory + "/cert.pem")
        try TestCertificates.copy(TestCertificates.keyPath, to: directory + "/key.pem")
        let tls = TLSListenerConfiguration(certificateChain: directory + "/cert.pem", privateKey: directory + "/key.pem")
        let app = try TestApp(environment: fastAccounts.merging(["PACE_RATE_LIMITS": "on", "PACE_RATE_LOGIN_PER_IP": "1/60"]) { $1 },
                              sockets: true, tls: tls) { configuration in
            try configuration.apply(environment: configuration.environment.merging(
                ["PACE_TRUSTED_PROXIES": "127.0.0.1", "PACE_PROXY_PROTOCOL": "on"]) { $1 })
            configuration.tls = tls
        }
        func status(_ source: [UInt8], _ username: String) throws -> Int? {
            let client = try TLSTestClient(port: app.port, trusting: TestCertificates.certificatePath,
                                           preamble: Self.v2(source: source))
            client.send(Self.login(username))
            return client.readResponse()?.status
        }
        #expect(try status([203, 0, 113, 1], "a1") == 401)
        #expect(try status([203, 0, 113, 2], "b1") == 401, "another client through the same proxy")
        #expect(try status([203, 0, 113, 1], "a2") == 429)
        #expect(throws: (any Error).self, "no header: closed before any TLS") {
            try TLSTestClient(port: app.port, trusting: TestCertificates.certificatePath)
        }
    }

    @Test func aMalformedHeaderClosesOnlyItsConnection() throws {
        let app = try server()
        let waiting = try TestClient(port: app.port)
        waiting.send(Self.v2(source: [203, 0, 113, 5]))
        let bad = try TestClient(port: app.port)
        var header = Self.v2(source: [203, 0, 113, 6])
        header[11] = 0x0B
        bad.send(header + Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        #expect(bad.readsEOF())
        let plain = try TestClient(port: app.port)
        plain.send(Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        #expect(plain.readsEOF(), "no header at all")
        waiting.send(Array("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        let metrics = try #require(waiting.readResponse())
        #expect(metrics.status == 200)
        #expect(metrics.text.contains(#"pace_proxy_protocol_headers_total{result="rejected"} 2"#))
        #expect(metrics.text.contains(#"pace_proxy_protocol_headers_total{result="accepted"} 1"#))
    }
}
