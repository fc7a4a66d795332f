#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
import PaceApp
import PaceJSON
import PaceLoop
import PaceTestSupport
import Synchronization
import Testing

/// A whole chat server started in-process over a fresh data directory, and a small JSON
/// client for it. Requests travel over in-memory connections into the real loops, sessions
/// and routes; with `sockets`, the server also listens on an ephemeral loopback port, for
/// suites that need TCP (WebSockets, descriptor and buffer limits). Shut down and deleted
/// when released.
final class TestApp {
    let server: ChatServer
    let directory: String
    /// The loopback port; 0 unless started with `sockets`.
    var port: UInt16 { server.http.port }
    private let connections = Atomic<Int>(0)

    /// `configure` adjusts the configuration last (settings read by `apply(environment:)`).
    /// With `tls`, the loopback listener speaks HTTPS (in-memory connections stay plain).
    init(environment: [String: String] = [:], sockets: Bool = false, tls: TLSListenerConfiguration? = nil,
         configure: (inout ServerConfiguration) throws -> Void = { _ in }) throws {
        directory = try TemporaryDirectory.make()
        var configuration = try ServerConfiguration.loopback(directory: directory, environment: environment, loops: 2)
        configuration.listens = sockets
        configuration.tls = tls
        try configure(&configuration)
        server = try ChatServer(configuration: configuration)
    }

    deinit {
        server.shutdown()
        TemporaryDirectory.remove(directory)
    }

    /// A new in-memory connection to the server, spread over its loops as accepts would be.
    func connect(timeoutSeconds: Int = 5, window: Int = .max,
                 peer: IPAddress = IPAddress(ipv4: 0x7F00_0001)) -> MemoryClient {
        let transport = MemoryTransport(peer: peer, window: window)
        let index = connections.add(1, ordering: .relaxed).newValue
        server.http.connect(transport, loop: index)
        // The loops run on their own threads; a reader only waits for them.
        return MemoryClient(transport, timeoutSeconds: timeoutSeconds) { usleep(50) }
    }

    /// Sends one request on a new connection and reads the response.
    func request(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = "application/json",
                 token: String? = nil, headers: [(String, String)] = [],
                 peer: IPAddress = IPAddress(ipv4: 0x7F00_0001)) throws -> TestResponse {
        let client = connect(peer: peer)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            if let contentType { head += "Content-Type: \(contentType)\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        }
        client.send(Array((head + "\r\n").utf8) + (body ?? []))
        return try #require(client.readResponse(headRequest: method == "HEAD"))
    }

    /// Sends `json` (a JSON text) and parses the answer's body as JSON (null when empty).
    func call(_ method: String, _ path: String, json: String? = nil, token: String? = nil) throws -> (status: Int, body: JSONValue) {
        let response = try request(method, path, body: json.map { Array($0.utf8) }, token: token)
        let body = response.body.isEmpty ? JSONValue.null : try JSONParser.parse(response.body)
        return (response.status, body)
    }
}

extension ServerConfiguration {
    /// An in-process test server: loopback, a free port, `directory` for its data, and a fresh
    /// PostgreSQL schema when the tests run on PostgreSQL (`TestDatabase`).
    static func loopback(directory: String, environment: [String: String] = [:], loops: Int = 0) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.loops = loops
        configuration.dataDirectory = directory
        // Suites register users freely; the first one becoming admin is tested on its own.
        configuration.environment = ["PACE_FIRST_USER_ADMIN": "off"].merging(environment) { $1 }
        configuration.postgres = try TestDatabase.freshPostgres()
        return configuration
    }
}
