#if canImport(Glibc)
import Glibc
#endif
import PaceHTTP
import PaceLoop
import PaceServer
import PaceSystem
import PaceTestSupport
import Synchronization

/// A handler exercising the server: `/echo` returns the body, `/slow` answers from another
/// thread after a delay, anything else returns its path.
final class EchoHandler: HTTPHandler {
    let streams = Mutex<[CollectingStream]>([])
    let producers = Mutex<[CountingResponse]>([])

    func exchange(for request: HTTPRequest) -> any HTTPExchange {
        EchoExchange(handler: self, bodyLimit: request.pathString == "/stream" ? 4 << 20 : 1024)
    }

    func bodyStream(for request: HTTPRequest) -> BodyStream? {
        guard request.pathString == "/stream" else { return nil }
        let stream = CollectingStream()
        streams.withLock { $0.append(stream) }
        return stream
    }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let path = request.pathString
        switch path {
        case "/stream":
            let stream = request.stream as? CollectingStream
            responder.send(HTTPResponse(status: 200, body: .bytes(Array("\(stream?.total ?? -1) \(stream?.chunks ?? -1)".utf8))))
        case let download where download.hasPrefix("/download/"):
            let size = Int(download.dropFirst(10)) ?? 0
            let stream = CountingResponse(total: size)
            producers.withLock { $0.append(stream) }
            responder.send(HTTPResponse(status: 200, body: .stream(length: size, stream)))
        case "/short":
            responder.send(HTTPResponse(status: 200, body: .stream(length: 100, CountingResponse(total: 50))))
        case "/big":
            responder.send(HTTPResponse(status: 200, body: .bytes([UInt8](repeating: 0x78, count: 64 * 1024))))
        case "/echo":
            responder.send(HTTPResponse(status: 200, contentType: "application/octet-stream", body: .bytes(request.body)))
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

/// One request to `EchoHandler`, which decides everything.
struct EchoExchange: HTTPExchange {
    let handler: EchoHandler
    let bodyLimit: Int

    func bodyStream(for request: HTTPRequest) -> BodyStream? { handler.bodyStream(for: request) }

    func respond(to request: HTTPRequest, responder: HTTPResponder) { handler.handle(request, responder: responder) }
}

/// A body stream that takes each chunk on another thread after a short delay, as a disk
/// writer would, and remembers what it got.
final class CollectingStream: BodyStream, @unchecked Sendable {
    private let state = Mutex<(total: Int, chunks: Int, aborted: Bool, largest: Int)>((0, 0, false, 0))

    var total: Int { state.withLock { $0.total } }
    var chunks: Int { state.withLock { $0.chunks } }
    var aborted: Bool { state.withLock { $0.aborted } }
    var largestChunk: Int { state.withLock { $0.largest } }

    func write(_ chunk: [UInt8], ready: @escaping @Sendable () -> Void) {
        state.withLock {
            $0.total += chunk.count
            $0.chunks += 1
            $0.largest = max($0.largest, chunk.count)
        }
        _ = try? OSThread(name: "disk") {
            usleep(1000)
            ready()
        }
    }

    func abort() { state.withLock { $0.aborted = true } }
}

/// A response body of `total` bytes (byte i is i % 251) produced in 10,000-byte chunks on
/// another thread, counting what it produced.
final class CountingResponse: ResponseStream, @unchecked Sendable {
    private let state: Mutex<(produced: Int, closed: Bool)> = Mutex((0, false))
    let total: Int

    init(total: Int) { self.total = total }

    var produced: Int { state.withLock { $0.produced } }
    var closed: Bool { state.withLock { $0.closed } }

    func read(_ deliver: @escaping @Sendable ([UInt8]?) -> Void) {
        let start = state.withLock { $0.produced }
        let count = min(10_000, total - start)
        guard count > 0 else {
            deliver(nil)
            return
        }
        state.withLock { $0.produced += count }
        _ = try? OSThread(name: "file") {
            deliver((start..<(start + count)).map { UInt8($0 % 251) })
        }
    }

    func close() { state.withLock { $0.closed = true } }
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

/// An `EmbeddedHTTPLoop` for one test, stepped by the test's thread whenever a client waits.
final class EmbeddedServer {
    let embedded: EmbeddedHTTPLoop

    init(handler: HTTPHandler, configuration: HTTPServerConfiguration) throws {
        embedded = try EmbeddedHTTPLoop(handler: handler, configuration: configuration)
    }

    /// A new in-memory connection, as if just accepted.
    func client(window: Int = .max) -> MemoryClient {
        let transport = embedded.connect(MemoryTransport(window: window))
        return MemoryClient(transport) { [embedded] in embedded.step(waitMilliseconds: 1) }
    }
}

/// Serves `EchoHandler` on an embedded loop over in-memory connections for one test: the
/// real session with no socket or port.
func withEmbeddedServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                        handler: HTTPHandler = EchoHandler(), _ body: (EmbeddedServer) throws -> Void) throws {
    var configuration = HTTPServerConfiguration()
    configuration.sweepIntervalMilliseconds = 50
    configure(&configuration)
    try body(try EmbeddedServer(handler: handler, configuration: configuration))
}

/// Runs `body` on its own thread, for a test that must act while something else blocks.
final class OSThreadForTests {
    private let thread: OSThread

    init(_ body: @escaping @Sendable () -> Void) throws {
        thread = try OSThread(name: "test", body)
    }

    func join() { thread.join() }
}
