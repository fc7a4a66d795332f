#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceTestSupport
import Testing

/// The chat server with HTTPS on its loopback listener: requests, a WebSocket over TLS, HSTS,
/// the redirect listener and certificate reloads.
@Suite("HTTPS end to end")
struct TLSEndToEndTests {
    /// A TLS listener over copies of the test certificate in `directory`, which a test may
    /// overwrite before reloading.
    static func tlsApp(_ adjust: (inout TLSListenerConfiguration) -> Void = { _ in }) throws -> (TestApp, String) {
        let directory = try TemporaryDirectory.make()
        try TestCertificates.copy(TestCertificates.certificatePath, to: directory + "/cert.pem")
        try TestCertificates.copy(TestCertificates.keyPath, to: directory + "/key.pem")
        var tls = TLSListenerConfiguration(certificateChain: directory + "/cert.pem", privateKey: directory + "/key.pem")
        adjust(&tls)
        return (try TestApp(environment: fastAccounts, sockets: true, tls: tls), directory)
    }

    @Test("HTTPS requests are answered with HSTS, and a WebSocket runs over TLS")
    func httpsAndWebSocket() throws {
        let (app, directory) = try Self.tlsApp()
        defer { TemporaryDirectory.remove(directory) }
        let client = try TLSTestClient(port: app.port, trusting: TestCertificates.certificatePath)
        #expect(client.engine.negotiatedProtocol == "http/1.1")
        client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.header("strict-transport-security") == "max-age=31536000")
        client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(client.readResponse()?.status == 200, "keep-alive over TLS")

        let account = try app.register("tlsuser")
        let connection = try TLSTestClient(port: app.port, trusting: TestCertificates.certificatePath)
        let socket = WebSocketTestClient(over: connection, path: "/api/v1/ws?access_token=\(account.accessToken)")
        #expect(socket.handshake?.status == 101)
        socket.send(opcode: 9, payload: Array("over tls".utf8))
        var pong: WebSocketTestClient.Frame?
        while let frame = socket.readFrame() {
            if frame.opcode == 10 {
                pong = frame
                break
            }
        }
        #expect(pong?.text == "over tls")
        socket.sendClose(code: 1000)
        // The hub's presence frame may still arrive ahead of the close.
        var close: WebSocketTestClient.Frame?
        while close == nil, let frame = socket.readFrame() {
            if frame.opcode == 8 { close = frame }
        }
        #expect(close?.closeCode == 1000)
    }

    @Test("PACE_HSTS off sends no Strict-Transport-Security")
    func hstsOff() throws {
        let (app, directory) = try Self.tlsApp { $0.hstsMaxAge = nil }
        defer { TemporaryDirectory.remove(directory) }
        let client = try TLSTestClient(port: app.port, trusting: TestCertificates.certificatePath)
        client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.header("strict-transport-security") == nil)
    }

    @Test("the redirect listener answers 308 to the same target on https and the request's host")
    func redirect() throws {
        let (app, directory) = try Self.tlsApp { $0.redirectPort = 0 }
        defer { TemporaryDirectory.remove(directory) }
        let port = try #require(app.server.redirect?.port)
        let cases: [(String, Int, String?)] = [
            ("GET /api/v1/x?a=b%20c HTTP/1.1\r\nHost: localhost:\(port)\r\n", 308, "https://localhost:\(app.port)/api/v1/x?a=b%20c"),
            ("POST /p HTTP/1.1\r\nHost: [::1]:1\r\nContent-Length: 3\r\n\r\nabc", 308, "https://[::1]:\(app.port)/p"),
            ("GET http://evil.example/x HTTP/1.1\r\nHost: chat.example\r\n", 308, "https://chat.example:\(app.port)/x"),
            ("GET / HTTP/1.0\r\n", 400, nil),
            ("GET / HTTP/1.1\r\nHost: evil.example/@x\r\n", 400, nil),
            ("GET / HTTP/1.1\r\nHost: a b\r\n", 400, nil),
        ]
        for (request, status, location) in cases {
            let client = try TestClient(port: port)
            client.send(request.hasSuffix("abc") ? request : request + "\r\n")
            let response = try #require(client.readResponse(), "\(request)")
            #expect(response.status == status, "\(request)")
            #expect(response.header("location") == location, "\(request)")
        }
    }

    @Test("a reload serves the new certificate to new connections; open ones keep working")
    func reload() throws {
        let (app, directory) = try Self.tlsApp()
        defer { TemporaryDirectory.remove(directory) }
        let old = try TLSTestClient(port: app.port, trusting: TestCertificates.certificatePath)
        try TestCertificates.copy(TestCertificates.otherCertificatePath, to: directory + "/cert.pem")
        try TestCertificates.copy(TestCertificates.otherKeyPath, to: directory + "/key.pem")
        #expect(app.server.reloadCertificate())

        let fresh = try TLSTestClient(port: app.port, trusting: TestCertificates.otherCertificatePath)
        fresh.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(fresh.readResponse()?.status == 200)
        #expect(throws: (any Error).self) {
            try TLSTestClient(port: app.port, trusting: TestCertificates.certificatePath)
        }
        old.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(old.readResponse()?.status == 200, "the connection opened before the reload")

        try TestCertificates.write(Array("not a certificate".utf8), to: directory + "/cert.pem")
        #expect(!app.server.reloadCertificate(), "a bad file is refused")
        let after = try TLSTestClient(port: app.port, trusting: TestCertificates.otherCertificatePath)
        after.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(after.readResponse()?.status == 200, "the last good certificate stays")
    }

    @Test("TLS settings come from the environment, and half a configuration is refused")
    func environment() throws {
        var configuration = ServerConfiguration()
        try configuration.apply(environment: ["PACE_TLS_CERT": "/c.pem", "PACE_TLS_KEY": "/k.pem",
                                              "PACE_TLS_REDIRECT_PORT": "8080", "PACE_HSTS": "600"])
        #expect(configuration.tls?.certificateChain == "/c.pem")
        #expect(configuration.tls?.redirectPort == 8080)
        #expect(configuration.tls?.hstsHeaderLine == Array("Strict-Transport-Security: max-age=600\r\n".utf8))
        try configuration.apply(environment: [:])
        #expect(configuration.tls == nil)
        for environment in [["PACE_TLS_CERT": "/c.pem"], ["PACE_TLS_KEY": "/k.pem"], ["PACE_HSTS": "600"],
                            ["PACE_TLS_CERT": "/c.pem", "PACE_TLS_KEY": "/k.pem", "PACE_HSTS": "forever"]] {
            var configuration = ServerConfiguration()
            #expect(throws: ConfigurationError.self, "\(environment)") { try configuration.apply(environment: environment) }
        }
        var missing = try ServerConfiguration.loopback(directory: try TemporaryDirectory.make())
        defer { TemporaryDirectory.remove(missing.dataDirectory) }
        missing.tls = TLSListenerConfiguration(certificateChain: "/nonexistent/cert.pem", privateKey: "/nonexistent/key.pem")
        #expect(throws: ConfigurationError.self) { try ChatServer(configuration: missing) }
    }
}
