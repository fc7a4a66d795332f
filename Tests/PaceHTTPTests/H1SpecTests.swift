import Testing
@testable import PaceHTTP

/// The 33 request checks of uNetworking/h1spec (its October 2024 table), as facts about what
/// a server must answer.
/// A check that expects the server to keep waiting is `.waits`; one that expects a 2xx (or
/// 100 then 2xx) is `.accepted`, since the parser's part is accepting the head; the rest
/// name the status ranges h1spec allows and the exact status Pace answers.
struct H1SpecTests {
    enum Expectation: Sendable {
        case waits
        case accepted
        case rejected(allowed: [ClosedRange<Int>], status: Int)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var request: String
        var expectation: Expectation
        /// The body an echoing server must send back, for checks that carry one.
        var body: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "Fragmented method", request: "G", expectation: .waits),
        Case(name: "Fragmented URL 1", request: "GET ", expectation: .waits),
        Case(name: "Fragmented URL 2", request: "GET /hello", expectation: .waits),
        Case(name: "Fragmented URL 3", request: "GET /hello ", expectation: .waits),
        Case(name: "Fragmented HTTP version", request: "GET /hello HTTP", expectation: .waits),
        Case(name: "Fragmented request line", request: "GET /hello HTTP/1.1", expectation: .waits),
        Case(name: "Fragmented request line newline 1", request: "GET /hello HTTP/1.1\r", expectation: .waits),
        Case(name: "Fragmented request line newline 2", request: "GET /hello HTTP/1.1\r\n", expectation: .waits),
        Case(name: "Fragmented field name", request: "GET /hello HTTP/1.1\r\nHos", expectation: .waits),
        Case(name: "Fragmented field value 1", request: "GET /hello HTTP/1.1\r\nHost:", expectation: .waits),
        Case(name: "Fragmented field value 2", request: "GET /hello HTTP/1.1\r\nHost: ", expectation: .waits),
        Case(name: "Fragmented field value 3", request: "GET /hello HTTP/1.1\r\nHost: localhost", expectation: .waits),
        Case(name: "Fragmented field value 4", request: "GET /hello HTTP/1.1\r\nHost: localhost\r", expectation: .waits),
        Case(name: "Fragmented request", request: "GET /hello HTTP/1.1\r\nHost: localhost\r\n", expectation: .waits),
        Case(name: "Fragmented request termination", request: "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r",
             expectation: .waits),
        Case(name: "Request without HTTP version", request: "GET / \r\n\r\n",
             expectation: .rejected(allowed: [400...599], status: 400)),
        Case(name: "Request with Expect header",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\n\r\n", expectation: .accepted),
        Case(name: "Valid GET request", request: "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", expectation: .accepted),
        Case(name: "Valid GET request with edge cases",
             request: "GET / HTTP/1.1\r\nhoSt:\texample.com\r\nempty:\r\n\r\n", expectation: .accepted),
        Case(name: "Invalid header characters",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\nX-Invalid[]: test\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Missing Host header", request: "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Multiple Host headers",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\nHost: example.org\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Overflowing negative Content-Length header",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\nContent-Length: -123456789123456789123456789\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Negative Content-Length header",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\nContent-Length: -1234\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Non-numeric Content-Length header",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\nContent-Length: abc\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Empty header value", request: "GET / HTTP/1.1\r\nHost: example.com\r\nX-Empty-Header: \r\n\r\n",
             expectation: .accepted),
        Case(name: "Header containing invalid control character",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\nX-Bad-Control-Char: test\u{07}\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Invalid HTTP version", request: "GET / HTTP/9.9\r\nHost: example.com\r\n\r\n",
             expectation: .rejected(allowed: [400...499, 500...599], status: 505)),
        Case(name: "Invalid prefix of request", request: "Extra lineGET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
             expectation: .rejected(allowed: [400...499, 500...599], status: 400)),
        Case(name: "Invalid line ending",
             request: "GET / HTTP/1.1\r\nHost: example.com\r\n\rSome-Header: Test\r\n\r\n",
             expectation: .rejected(allowed: [400...499], status: 400)),
        Case(name: "Valid POST request with body",
             request: "POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello",
             expectation: .accepted, body: "hello"),
        Case(name: "Chunked Transfer-Encoding",
             request: "POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                 + "c\r\nHellO world1\r\n0\r\n\r\n",
             expectation: .accepted, body: "HellO world1"),
        Case(name: "Conflicting Transfer-Encoding and Content-Length in varying case",
             request: "POST / HTTP/1.1\r\nHost: example.com\r\ncontent-LengtH: 5\r\nTransFer-Encoding: chunked\r\n\r\n"
                 + "c\r\nHellO world1\r\n0\r\n\r\n",
             expectation: .rejected(allowed: [400...499, 200...299], status: 400)),
    ]

    @Test func tableHasAllThirtyThreeChecks() {
        #expect(Self.cases.count == 33)
    }

    @Test(arguments: cases)
    func h1spec(_ check: Case) throws {
        let input = bytes(check.request)
        let outcome = ParserHarness.consistent(input)
        switch check.expectation {
        case .waits:
            #expect(outcome.result == .needMore)
        case .accepted:
            let head = outcome.head
            #expect(head != nil)
            if let body = check.body {
                let run = ConnectionHarness.consistent(input)
                #expect(run.mismatches.isEmpty)
                #expect(run.outcome.requests.map(\.body) == [bytes(body)])
                #expect(!run.outcome.pending)
            } else {
                #expect(head?.byteCount == input.count)
            }
        case .rejected(let allowed, let status):
            let error = try #require(outcome.error)
            #expect(error.status == status)
            #expect(allowed.contains { $0.contains(status) })
        }
    }

    @Test func expectHeaderAsksForContinue() throws {
        let outcome = ParserHarness.whole(bytes(Self.cases[16].request))
        let head = try #require(outcome.head)
        #expect(head.expectContinue)
    }

    @Test func edgeCaseHostWithTabIsTrimmed() throws {
        let input = bytes(Self.cases[18].request)
        let outcome = ParserHarness.whole(input)
        let head = try #require(outcome.head)
        #expect(ParserHarness.text(input, head.host) == "example.com")
        #expect(outcome.headers.count == 2)
        #expect(ParserHarness.text(input, outcome.headers[1].value) == "")
    }
}
