#if canImport(Glibc)
import Glibc
#endif
import PaceHTTP
import PaceServer
import PaceSystem

/// A handler exercising the server: `/echo` returns the body, `/slow` answers from another
/// thread after a delay, anything else returns its path.
final class EchoHandler: HTTPHandler {
    func bodyLimit(for request: HTTPRequest) -> Int { 1024 }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let path = request.pathString
        switch path {
        case "/big":
            responder.send(HTTPResponse(status: 200, body: .bytes([UInt8](repeating: 0x78, count: 64 * 1024))))
        case "/echo":
            responder.send(HTTPResponse(status: 200, contentType: "application/octet-stream", body: .bytes(Array(request.body))))
        case let slow where slow.hasPrefix("/slow"):
            let milliseconds = UInt32(slow.dropFirst(6)) ?? 50
            _ = try? OSThread(name: "slow") {
                usleep(milliseconds * 1000)
                responder.send(HTTPResponse(status: 200, body: .bytes(Array(path.utf8))))
            }
        default:
            responder.send(HTTPResponse(status: 200, body: .bytes(Array(path.utf8))))
        }
    }
}

/// Starts an `HTTPServer` on an ephemeral loopback port for one test.
func withServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                loops: Int = 2, _ body: (HTTPServer) throws -> Void) throws {
    var configuration = HTTPServerConfiguration()
    configuration.sweepIntervalMilliseconds = 50
    configure(&configuration)
    let server = try HTTPServer(host: "127.0.0.1", port: 0, loops: loops, configuration: configuration,
                                handler: EchoHandler())
    defer { server.shutdown(graceMilliseconds: 1000) }
    try body(server)
}

/// Runs `body` on its own thread, for a test that must act while something else blocks.
final class OSThreadForTests {
    private let thread: OSThread

    init(_ body: @escaping @Sendable () -> Void) throws {
        thread = try OSThread(name: "test", body)
    }

    func join() { thread.join() }
}
