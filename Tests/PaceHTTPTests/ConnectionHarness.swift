@testable import PaceHTTP
import PaceLoop
import PaceServer
import PaceTestSupport

/// One request as the server's session handed it to the application.
struct ReceivedRequest: Equatable {
    var method: HTTPMethod
    var target: String
    var keepAlive: Bool
    var body: [UInt8]
}

/// Everything a connection received from one byte stream.
struct ConnectionOutcome: Equatable {
    var requests: [ReceivedRequest] = []
    var error: HTTPParseError?
    /// Whether the stream ended in the middle of a request.
    var pending = false
}

/// Runs the server's real HTTP session over an in-memory connection: the stream arrives in
/// pieces, the loop is stepped after each, and what the application received and what the
/// session answered (an error response names its `HTTPParseError` by code) make the outcome.
enum ConnectionHarness {
    static func run(_ stream: [UInt8], cuts: [Int], maxBodyBytes: Int = 1 << 20) -> ConnectionOutcome {
        guard let server = Server(maxBodyBytes: maxBodyBytes) else { return ConnectionOutcome(pending: true) }
        return server.run(stream, cuts: cuts)
    }

    static func whole(_ stream: [UInt8], maxBodyBytes: Int = 1 << 20) -> ConnectionOutcome {
        run(stream, cuts: [], maxBodyBytes: maxBodyBytes)
    }

    /// Runs the stream whole, byte by byte and split in two at every position, and returns
    /// every outcome that differs from the whole run (expected: none) plus the whole run.
    static func consistent(_ stream: [UInt8], maxBodyBytes: Int = 1 << 20) -> (outcome: ConnectionOutcome, mismatches: [String]) {
        guard let server = Server(maxBodyBytes: maxBodyBytes) else { return (ConnectionOutcome(), ["no event loop"]) }
        let expected = server.run(stream, cuts: [])
        var mismatches: [String] = []
        let byteByByte = server.run(stream, cuts: Array(0..<stream.count))
        if byteByByte != expected { mismatches.append("byte by byte: \(byteByByte)") }
        for split in 0...stream.count {
            let outcome = server.run(stream, cuts: [split])
            if outcome != expected { mismatches.append("split \(split): \(outcome)") }
        }
        return (expected, mismatches)
    }

    /// One embedded loop serving a fresh connection per run.
    private final class Server {
        let recorder: RecordingHandler
        let embedded: EmbeddedHTTPLoop

        init?(maxBodyBytes: Int) {
            recorder = RecordingHandler(bodyLimit: maxBodyBytes)
            guard let embedded = try? EmbeddedHTTPLoop(handler: recorder) else { return nil }
            self.embedded = embedded
        }

        func run(_ stream: [UInt8], cuts: [Int]) -> ConnectionOutcome {
            recorder.requests = []
            let transport = embedded.connect()
            defer { transport.disconnect() }
            var start = 0
            for end in cuts + [stream.count] where end >= start {
                transport.feed(Array(stream[start..<end]))
                start = end
                embedded.step(until: { transport.unreadInput == 0 || transport.isClosed }, timeoutMilliseconds: 1000)
                embedded.step()
            }
            var outcome = ConnectionOutcome(requests: recorder.requests)
            outcome.error = ConnectionHarness.firstError(in: transport.takeOutput())
            outcome.pending = outcome.error == nil && embedded.isMidRequest(on: transport)
            return outcome
        }
    }

    private static let errorsByCode = Dictionary(uniqueKeysWithValues: HTTPParseError.allCases.map { ("\($0.code)", $0) })

    /// The parse error behind the first error response the session wrote, if any.
    private static func firstError(in output: [UInt8]) -> HTTPParseError? {
        var buffer = output
        while let response = ResponseFraming.take(from: &buffer, headRequest: false, ended: true) {
            guard response.status >= 400 else { continue }
            let marker = Array(#""code":""#.utf8)
            guard let start = ResponseFraming.end(of: marker, in: response.body),
                  let end = response.body[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return errorsByCode[String(decoding: response.body[start..<end], as: UTF8.self)]
        }
        return nil
    }
}

/// Records each request and answers it at once with an empty 200.
///
/// `@unchecked Sendable`: only the embedded loop, stepped on the test's own thread, touches it.
private final class RecordingHandler: HTTPHandler, HTTPExchange, @unchecked Sendable {
    let bodyLimit: Int
    var requests: [ReceivedRequest] = []

    init(bodyLimit: Int) { self.bodyLimit = bodyLimit }

    func exchange(for request: HTTPRequest) -> any HTTPExchange { self }

    func respond(to request: HTTPRequest, responder: HTTPResponder) {
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: request.buffer[request.head.target]), as: UTF8.self)
        requests.append(ReceivedRequest(method: request.method, target: target, keepAlive: request.head.keepAlive,
                                        body: request.body))
        responder.send(HTTPResponse(status: 200))
    }
}
