#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

/// A whole chat server started in-process on an ephemeral loopback port over a fresh data
/// directory, and a small JSON client for it. Shut down and deleted when released.
final class TestApp {
    let server: ChatServer
    let directory: String
    var port: UInt16 { server.http.port }

    init(environment: [String: String] = [:]) throws {
        directory = try TemporaryDirectory.make()
        server = try ChatServer(configuration: .loopback(directory: directory, environment: environment, loops: 2))
    }

    deinit {
        server.shutdown()
        TemporaryDirectory.remove(directory)
    }

    /// Sends one request on a new connection and reads the response.
    func request(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = "application/json",
                 token: String? = nil, headers: [(String, String)] = []) throws -> TestResponse {
        let client = try TestClient(port: port)
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
    /// An in-process test server: loopback, a free port, `directory` for its data.
    static func loopback(directory: String, environment: [String: String] = [:], loops: Int = 0) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.loops = loops
        configuration.dataDirectory = directory
        configuration.environment = environment
        return configuration
    }
}
