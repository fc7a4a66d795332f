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
        let recorder = RecordingHandler(bodyLimit: maxBodyBytes)
        guard let embedded = try? EmbeddedHTTPLoop(handler: recorder) else { return ConnectionOutcome(pending: true) }
        let transport = embedded.connect()
        var start = 0
        for end in cuts + [stream.count] where end >= start {
            transport.feed(Array(stream[start..<end]))
            start = end
            embedded.step(until: { transport.unreadInput == 0 || transport.isClosed }, timeoutMilliseconds: 1000)
            embedded.step()
        }
        var outcome = ConnectionOutcome(requests: recorder.requests)
        outcome.error = firstError(in: transport.takeOutput())
        outcome.pending = outcome.error == nil && embedded.isMidRequest(on: transport)
        return outcome
    }

    static func whole(_ stream: [UInt8], maxBodyBytes: Int = 1 << 20) -> ConnectionOutcome {
        run(stream, cuts: [], maxBodyBytes: maxBodyBytes)
    }

    /// Runs the stream whole, byte by byte and split in two at every position, and returns
    /// every outcome that differs from the whole run (expected: none) plus the whole run.
    static func consistent(_ stream: [UInt8], maxBodyBytes: Int = 1 << 20) -> (outcome: ConnectionOutcome, mismatches: [String]) {
        let expected = whole(stream, maxBodyBytes: maxBodyBytes)
        var mismatches: [String] = []
        let byteByByte = run(stream, cuts: Array(0..<stream.count), maxBodyBytes: maxBodyBytes)
        if byteByByte != expected { mismatches.append("byte by byte: \(byteByByte)") }
        for split in 0...stream.count {
            let outcome = run(stream, cuts: [split], maxBodyBytes: maxBodyBytes)
            if outcome != expected { mismatches.append("split \(split): \(outcome)") }
        }
        return (expected, mismatches)
    }

    /// The parse error behind the first error response the session wrote, if any.
    private static func firstError(in output: [UInt8]) -> HTTPParseError? {
        var buffer = output
        while let response = ResponseFraming.take(from: &buffer, headRequest: false, ended: true) {
            guard response.status >= 400 else { continue }
            let text = response.text
            return HTTPParseError.allCases.first { text.contains("\"code\":\"\($0.code)\"") }
        }
        return nil
    }
}

/// Records each request and answers it at once with an empty 200.
///
/// `@unchecked Sendable`: only the embedded loop, stepped on the test's own thread, touches it.
private final class RecordingHandler: HTTPHandler, HTTPExchange, @unchecked Sendable {
    let bodyLimit: Int
    private(set) var requests: [ReceivedRequest] = []

    init(bodyLimit: Int) { self.bodyLimit = bodyLimit }

    func exchange(for request: HTTPRequest) -> any HTTPExchange { self }

    func respond(to request: HTTPRequest, responder: HTTPResponder) {
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: request.buffer[request.head.target]), as: UTF8.self)
        requests.append(ReceivedRequest(method: request.method, target: target, keepAlive: request.head.keepAlive,
                                        body: request.body))
        responder.send(HTTPResponse(status: 200))
    }
}
