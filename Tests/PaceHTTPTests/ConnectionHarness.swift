@testable import PaceHTTP

/// One request as an emulated server connection saw it.
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

/// Emulates the server's read loop: bytes arrive in pieces into one buffer; heads and bodies
/// are parsed from its front, and the bytes each step used up are dropped (compaction)
/// before the next step, exactly as the event-loop server does.
enum ConnectionHarness {
    private enum Phase {
        case head
        case body(RequestHead, String, BodyDecoder, [UInt8])
    }

    static func run(_ stream: [UInt8], cuts: [Int], maxBodyBytes: Int = 1 << 20) -> ConnectionOutcome {
        var outcome = ConnectionOutcome()
        var buffer: [UInt8] = []
        var parser = RequestHeadParser()
        var headers: [HTTPHeaderField] = []
        var phase = Phase.head
        var start = 0
        for end in cuts + [stream.count] where end >= start {
            buffer += stream[start..<end]
            start = end
            if let error = drain(&buffer, &parser, &headers, &phase, &outcome, maxBodyBytes) {
                outcome.error = error
                return outcome
            }
        }
        if case .body = phase { outcome.pending = true }
        if !buffer.isEmpty { outcome.pending = true }
        return outcome
    }

    static func whole(_ stream: [UInt8], maxBodyBytes: Int = 1 << 20) -> ConnectionOutcome {
        run(stream, cuts: [], maxBodyBytes: maxBodyBytes)
    }

    /// Runs until the buffer holds nothing more to act on; returns the error that stops it.
    private static func drain(
        _ buffer: inout [UInt8], _ parser: inout RequestHeadParser, _ headers: inout [HTTPHeaderField],
        _ phase: inout Phase, _ outcome: inout ConnectionOutcome, _ maxBodyBytes: Int
    ) -> HTTPParseError? {
        while true {
            switch phase {
            case .head:
                guard !buffer.isEmpty else { return nil }
                switch buffer.withUnsafeBytes({ parser.parse($0, into: &headers) }) {
                case .needMore:
                    return nil
                case .failure(let error):
                    return error
                case .complete(let head):
                    let target = String(decoding: buffer[head.target], as: UTF8.self)
                    let decoder: BodyDecoder
                    do {
                        decoder = try BodyDecoder.forRequest(head, maxBodyBytes: maxBodyBytes)
                    } catch {
                        return error
                    }
                    buffer.removeFirst(head.byteCount)
                    phase = .body(head, target, decoder, [])
                }
            case .body(let head, let target, var decoder, var body):
                switch buffer.withUnsafeBytes({ decoder.decode($0) }) {
                case .data(let range):
                    body += buffer[range]
                    buffer.removeFirst(range.upperBound)
                    phase = .body(head, target, decoder, body)
                case .needMore(let consumed):
                    buffer.removeFirst(consumed)
                    phase = .body(head, target, decoder, body)
                    return nil
                case .end(let consumed):
                    buffer.removeFirst(consumed)
                    outcome.requests.append(ReceivedRequest(
                        method: head.method, target: target, keepAlive: head.keepAlive, body: body))
                    phase = .head
                case .failure(let error):
                    return error
                }
            }
        }
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
}
