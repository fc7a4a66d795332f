import Testing
@testable import PaceHTTP

/// Pace's HTTP client's response parser, table-driven: every case fed whole, byte by byte and
/// split in two at every position must give the same answer.
struct ResponseParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        /// The status, body, truncated and reusable flags, and how many input bytes it used.
        var expected: Result<(Int, String, Bool, Bool, Int), ResponseParseError>
        var maxBodyBytes = 64
        var testDescription: String { name }
    }

    private static func accept(_ name: String, _ input: String, _ status: Int, _ body: String, truncated: Bool = false,
                               reusable: Bool = true, used: Int? = nil, max: Int = 64) -> Case {
        Case(name: name, input: input, expected: .success((status, body, truncated, reusable, used ?? input.utf8.count)),
             maxBodyBytes: max)
    }

    private static func reject(_ name: String, _ input: String, _ error: ResponseParseError) -> Case {
        Case(name: name, input: input, expected: .failure(error))
    }

    static let cases: [Case] = [
        accept("content length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, "hello"),
        accept("no body on 204", "HTTP/1.1 204 No Content\r\n\r\n", 204, ""),
        accept("zero length", "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n", 500, ""),
        accept("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", 200, "abcde"),
        accept("until close", "HTTP/1.1 200 OK\r\n\r\nrest of stream", 200, "rest of stream", reusable: false),
        accept("connection close", "HTTP/1.1 410 Gone\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno", 410, "no",
               reusable: false),
        accept("HTTP/1.0 is not reused", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, "x", reusable: false),
        accept("no reason phrase", "HTTP/1.1 202\r\nContent-Length: 0\r\n\r\n", 202, ""),
        accept("pipelined bytes left over", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1", 200, "ok",
               used: 40),
        accept("redirect is an answer", "HTTP/1.1 302 Found\r\nLocation: http://10.0.0.1/\r\nContent-Length: 0\r\n\r\n",
               302, ""),
        accept("body over the cap is truncated", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 200, "0123",
               truncated: true, reusable: false, max: 4),
        reject("not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", .invalidStatusLine),
        reject("bad status", "HTTP/1.1 2x0 OK\r\n\r\n", .invalidStatusLine),
        reject("HTTP/2 status line", "HTTP/2 200 OK\r\n\r\n", .invalidStatusLine),
        reject("space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx", .invalidHeader),
        reject("conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
               .invalidContentLength),
        reject("negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        reject("bad chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidBody),
        reject("closed mid body", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", .truncated),
        reject("closed mid head", "HTTP/1.1 200 OK\r\nContent-", .truncated),
    ]

    @Test(arguments: cases)
    func whole(_ test: Case) {
        check(test, pieces: [Array(test.input.utf8)])
    }

    @Test(arguments: cases)
    func byteByByte(_ test: Case) {
        check(test, pieces: Array(test.input.utf8).map { [$0] })
    }

    @Test(arguments: cases)
    func splitEverywhere(_ test: Case) {
        let bytes = Array(test.input.utf8)
        for split in 0...bytes.count { check(test, pieces: [Array(bytes[..<split]), Array(bytes[split...])]) }
    }

    @Test func headLimitIsCheckedBeforeKeeping() {
        var parser = ResponseParser(maxHeadBytes: 32)
        let head = Array("HTTP/1.1 200 OK\r\nX-Long: \(String(repeating: "a", count: 64))\r\n\r\n".utf8)
        let step = head.withUnsafeBytes { parser.parse($0) }
        #expect(step == .failed(.headTooLarge))
    }

    private func check(_ test: Case, pieces: [[UInt8]]) {
        var parser = ResponseParser(maxBodyBytes: test.maxBodyBytes)
        var offered = 0
        var outcome: Result<(ClientResponse, Int), ResponseParseError>?
        for piece in pieces where outcome == nil {
            switch piece.withUnsafeBytes({ parser.parse($0) }) {
            case .needMore: offered += piece.count
            case .complete(let response, let consumed): outcome = .success((response, offered + consumed))
            case .failed(let error): outcome = .failure(error)
            }
        }
        if outcome == nil {
            switch parser.finish() {
            case .complete(let response, _): outcome = .success((response, offered))
            case .failed(let error): outcome = .failure(error)
            case .needMore: Issue.record("finish asked for more")
            }
        }
        switch (outcome, test.expected) {
        case (.success(let (response, used))?, .success(let (status, body, truncated, reusable, expectedUsed))):
            #expect(response.status == status)
            #expect(String(decoding: response.body, as: UTF8.self) == body)
            #expect(response.truncated == truncated)
            #expect(response.reusable == reusable)
            // A truncated response closes the connection, so where its input stopped does not matter.
            if !truncated { #expect(used == expectedUsed) }
        case (.failure(let error)?, .failure(let expected)):
            #expect(error == expected)
        default:
            Issue.record("\(test.name): got \(String(describing: outcome)), expected \(test.expected)")
        }
    }
}
