import Testing
@testable import PaceHTTP

/// Well-formed heads, each parsed whole, byte by byte and split at every position, with the
/// fields the server relies on.
struct RequestAcceptanceTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var name: String
        var request: String
        var method: HTTPMethod = .get
        var path = "/"
        var query: String?
        var minorVersion: UInt8 = 1
        var host: String? = "a"
        var contentLength: Int?
        var isChunked = false
        var keepAlive = true
        var expectContinue = false
        var connectionUpgrade = false
        var headerCount = 1
        var testDescription: String { name }
    }

    static let cases: [Expected] = [
        Expected(name: "healthz", request: "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", path: "/healthz"),
        Expected(name: "query", request: "GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: a\r\n\r\n", path: "/a/b", query: "x=1&y=%20"),
        Expected(name: "empty query", request: "GET /a? HTTP/1.1\r\nHost: a\r\n\r\n", path: "/a", query: ""),
        Expected(name: "second question mark stays in the query",
                 request: "GET /a?b?c HTTP/1.1\r\nHost: a\r\n\r\n", path: "/a", query: "b?c"),
        Expected(name: "HEAD", request: "HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n", method: .head, path: "/x"),
        Expected(name: "POST with length", request: "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n",
                 method: .post, path: "/p", contentLength: 12, headerCount: 2),
        Expected(name: "PUT", request: "PUT /p HTTP/1.1\r\nHost: a\r\n\r\n", method: .put, path: "/p"),
        Expected(name: "PATCH", request: "PATCH /p HTTP/1.1\r\nHost: a\r\n\r\n", method: .patch, path: "/p"),
        Expected(name: "DELETE", request: "DELETE /p HTTP/1.1\r\nHost: a\r\n\r\n", method: .delete, path: "/p"),
        Expected(name: "OPTIONS *", request: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", method: .options, path: "*"),
        Expected(name: "absolute form", request: "GET http://Example.com:8080/p/q?r HTTP/1.1\r\nHost: a\r\n\r\n",
                 path: "/p/q", query: "r"),
        Expected(name: "absolute form https, upper-case scheme", request: "GET HTTPS://a/ HTTP/1.1\r\nHost: a\r\n\r\n"),
        Expected(name: "HTTP/1.0 closes by default", request: "GET / HTTP/1.0\r\n\r\n",
                 minorVersion: 0, host: nil, keepAlive: false, headerCount: 0),
        Expected(name: "HTTP/1.0 keep-alive", request: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
                 minorVersion: 0, host: nil, keepAlive: true),
        Expected(name: "HTTP/1.0 keep-alive and close", request: "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
                 minorVersion: 0, host: nil, keepAlive: false),
        Expected(name: "HTTP/1.0 ignores Expect", request: "GET / HTTP/1.0\r\nExpect: something-else\r\n\r\n",
                 minorVersion: 0, host: nil, keepAlive: false),
        Expected(name: "HTTP/1.0 with Host", request: "GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n",
                 minorVersion: 0, keepAlive: true, headerCount: 2),
        Expected(name: "HTTP/1.1 close", request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n",
                 keepAlive: false, headerCount: 2),
        Expected(name: "upgrade", request: "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive,\tUpgrade\r\nUpgrade: websocket\r\n\r\n",
                 path: "/ws", connectionUpgrade: true, headerCount: 3),
        Expected(name: "connection options over two lines",
                 request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
                 keepAlive: false, headerCount: 3),
        Expected(name: "expect continue", request: "PUT /u HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n",
                 method: .put, path: "/u", contentLength: 3, expectContinue: true, headerCount: 3),
        Expected(name: "chunked any case", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChunKed\r\n\r\n",
                 method: .post, isChunked: true, headerCount: 2),
        Expected(name: "chunked with empty list elements", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked ,\r\n\r\n",
                 method: .post, isChunked: true, headerCount: 2),
        Expected(name: "repeated identical Content-Length",
                 request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\ncontent-length: 007\r\n\r\n",
                 method: .post, contentLength: 7, headerCount: 3),
        Expected(name: "zero Content-Length", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
                 method: .post, contentLength: 0, headerCount: 2),
        Expected(name: "empty lines before the request line are skipped",
                 request: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Expected(name: "empty Host", request: "GET / HTTP/1.1\r\nHost:\r\n\r\n", host: ""),
        Expected(name: "Host with port", request: "GET / HTTP/1.1\r\nHost: chat.example:8443\r\n\r\n", host: "chat.example:8443"),
        Expected(name: "Host IPv6", request: "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", host: "[::1]:80"),
        Expected(name: "Host IPv4 with whitespace around", request: "GET / HTTP/1.1\r\nHost: \t 10.0.0.1 \t\r\n\r\n", host: "10.0.0.1"),
        Expected(name: "header name with every token symbol",
                 request: "GET / HTTP/1.1\r\nHost: a\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n", headerCount: 2),
        Expected(name: "value with obs-text, tabs and inner spaces",
                 request: "GET / HTTP/1.1\r\nHost: a\r\nX: \tcaf\u{E9} \t au lait\t \r\n\r\n", headerCount: 2),
        Expected(name: "target with sub-delims, percent and colon",
                 request: "GET /a:b@c/!$&'()*+,;=%41~ HTTP/1.1\r\nHost: a\r\n\r\n", path: "/a:b@c/!$&'()*+,;=%41~"),
    ]

    @Test(arguments: cases)
    func accepts(_ expected: Expected) throws {
        let input = bytes(expected.request)
        let outcome = ParserHarness.consistent(input)
        let head = try #require(outcome.head)
        #expect(head.method == expected.method)
        #expect(ParserHarness.text(input, head.path) == expected.path)
        #expect(ParserHarness.text(input, head.query) == expected.query)
        #expect(head.minorVersion == expected.minorVersion)
        #expect(ParserHarness.text(input, head.host) == expected.host)
        #expect(head.contentLength == expected.contentLength)
        #expect(head.isChunked == expected.isChunked)
        #expect(head.keepAlive == expected.keepAlive)
        #expect(head.expectContinue == expected.expectContinue)
        #expect(head.connectionUpgrade == expected.connectionUpgrade)
        #expect(head.headerCount == expected.headerCount)
        #expect(outcome.headers.count == expected.headerCount)
        #expect(head.byteCount == input.count)
    }

    @Test func fieldRangesPointAtTrimmedNamesAndValues() throws {
        let input = bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Thing:  \t two  words \t\r\nEmpty:\r\n\r\n")
        let outcome = ParserHarness.consistent(input)
        let fields = outcome.headers.map { (ParserHarness.text(input, $0.name), ParserHarness.text(input, $0.value)) }
        #expect(fields.map(\.0) == ["Host", "X-Thing", "Empty"])
        #expect(fields.map(\.1) == ["a", "two  words", ""])
    }

    @Test func targetRangeIsTheWholeTarget() throws {
        let input = bytes("GET /a?b HTTP/1.1\r\nHost: a\r\n\r\n")
        let head = try #require(ParserHarness.whole(input).head)
        #expect(ParserHarness.text(input, head.target) == "/a?b")
    }

    @Test func hasBodyFollowsFraming() throws {
        let none = try #require(ParserHarness.whole(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")).head)
        let zero = try #require(ParserHarness.whole(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")).head)
        let some = try #require(ParserHarness.whole(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n")).head)
        let chunked = try #require(ParserHarness.whole(bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")).head)
        #expect([none.hasBody, zero.hasBody, some.hasBody, chunked.hasBody] == [false, false, true, true])
    }

    @Test func bytesAfterTheHeadAreNotConsumed() throws {
        let input = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next")
        let head = try #require(ParserHarness.whole(input).head)
        #expect(head.byteCount == input.count - "GET /next".utf8.count)
    }

    @Test func headerCountLimitIsInclusive() throws {
        let request = "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X: y\r\n", count: 99) + "\r\n"
        let outcome = ParserHarness.byteByByte(bytes(request))
        #expect(outcome.head?.headerCount == 100)
    }

    @Test func requestLineAndHeaderLimitsAreInclusive() throws {
        let limits = HTTPLimits(maxRequestLine: 20, maxHeaderBytes: 18)
        let line = "GET /123456 HTTP/1.1"
        #expect(line.utf8.count == 20)
        let request = line + "\r\nHost: abcdefgh\r\n\r\n"
        let outcome = ParserHarness.consistent(bytes(request), limits: limits)
        #expect(outcome.head != nil)
    }

    @Test func parserIsReadyForTheNextRequestAfterComplete() throws {
        var parser = RequestHeadParser()
        var headers: [HTTPHeaderField] = []
        let first = bytes("GET /one HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n")
        let second = bytes("GET /two HTTP/1.1\r\nHost: b\r\n\r\n")
        let one = first.withUnsafeBytes { parser.parse($0, into: &headers) }
        #expect(headers.count == 2)
        let two = second.withUnsafeBytes { parser.parse($0, into: &headers) }
        guard case .complete(let head) = two, case .complete = one else {
            Issue.record("expected two complete heads, got \(one) and \(two)")
            return
        }
        #expect(ParserHarness.text(second, head.path) == "/two")
        #expect(headers.count == 1)
    }

    @Test func strictPrefixesOfValidRequestsNeedMoreFromAFreshParser() {
        let input = bytes("POST /p?q HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX:  y \r\n\r\n")
        for length in 0..<input.count {
            var parser = RequestHeadParser()
            var headers: [HTTPHeaderField] = []
            let result = Array(input[0..<length]).withUnsafeBytes { parser.parse($0, into: &headers) }
            #expect(result == .needMore, "prefix of \(length) bytes")
        }
    }
}
