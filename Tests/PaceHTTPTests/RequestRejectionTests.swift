import Testing
@testable import PaceHTTP

/// Every rejection rule, with the error (and so the status) it must produce whether the
/// request arrives whole, byte by byte or split anywhere.
struct RequestRejectionTests {
    struct Rejection: Sendable, CustomTestStringConvertible {
        var name: String
        var request: String
        var error: HTTPParseError
        var status: Int
        var testDescription: String { name }
    }

    private static func reject(_ name: String, _ request: String, _ error: HTTPParseError, _ status: Int) -> Rejection {
        Rejection(name: name, request: request, error: error, status: status)
    }

    static let requestLine: [Rejection] = [
        reject("method with a non-token byte", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod, 400),
        reject("leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod, 400),
        reject("method then CRLF", "GET\r\n\r\n", .invalidMethod, 400),
        reject("NUL first", "\0GET / HTTP/1.1\r\n\r\n", .invalidMethod, 400),
        reject("unknown method", "BREW / HTTP/1.1\r\nHost: a\r\n\r\n", .methodNotImplemented, 501),
        reject("lower-case method is another method", "get / HTTP/1.1\r\nHost: a\r\n\r\n", .methodNotImplemented, 501),
        reject("TRACE", "TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", .methodNotImplemented, 501),
        reject("long unknown method", "GETTINGVERYLONGMETHOD / HTTP/1.1\r\n\r\n", .methodNotImplemented, 501),
        reject("prefix of a method", "GE / HTTP/1.1\r\nHost: a\r\n\r\n", .methodNotImplemented, 501),
        reject("CONNECT authority form", "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("double space before target", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod, 400),
        reject("relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("fragment", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("control byte in target", "GET /a\u{01}b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("DEL in target", "GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("non-ASCII in target", "GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("asterisk for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("asterisk with more", "OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("absolute form without path", "GET http://a HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("absolute form with query, no path", "GET http://a?x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("absolute form, empty authority", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("absolute form with userinfo", "GET http://u@a/x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("other scheme", "GET ftp://a/x HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("bare scheme", "GET http:// HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400),
        reject("no version", "GET /\r\n\r\n", .invalidVersion, 400),
        reject("empty version", "GET / \r\n\r\n", .invalidVersion, 400),
        reject("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", .invalidVersion, 400),
        reject("trailing garbage after version", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", .invalidVersion, 400),
        reject("trailing space after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .invalidVersion, 400),
        reject("two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", .invalidVersion, 400),
        reject("no minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", .invalidVersion, 400),
        reject("comma for dot", "GET / HTTP/1,1\r\nHost: a\r\n\r\n", .invalidVersion, 400),
        reject("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .versionNotSupported, 505),
        reject("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", .versionNotSupported, 505),
        reject("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", .versionNotSupported, 505),
        reject("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", .invalidLineEnding, 400),
        reject("bare CR after request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", .invalidLineEnding, 400),
        reject("bare LF before request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidLineEnding, 400),
        reject("bare CR before request line", "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidLineEnding, 400),
        reject("CR inside target", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", .invalidVersion, 400),
    ]

    static let fields: [Rejection] = [
        reject("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n", .obsoleteLineFolding, 400),
        reject("obs-fold with tab", "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\tc\r\n\r\n", .obsoleteLineFolding, 400),
        reject("whitespace before first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", .obsoleteLineFolding, 400),
        reject("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon, 400),
        reject("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .whitespaceBeforeColon, 400),
        reject("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", .invalidFieldName, 400),
        reject("brackets in name", "GET / HTTP/1.1\r\nHost: a\r\nX[]: b\r\n\r\n", .invalidFieldName, 400),
        reject("NUL in name", "GET / HTTP/1.1\r\nHost: a\r\nX\0Y: b\r\n\r\n", .invalidFieldName, 400),
        reject("non-ASCII in name", "GET / HTTP/1.1\r\nHost: a\r\nX\u{E9}: b\r\n\r\n", .invalidFieldName, 400),
        reject("no colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .invalidFieldName, 400),
        reject("NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", .invalidFieldValue, 400),
        reject("BEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{07}\r\n\r\n", .invalidFieldValue, 400),
        reject("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}\r\n\r\n", .invalidFieldValue, 400),
        reject("control byte deep in a long value",
               "GET / HTTP/1.1\r\nHost: a\r\nX: abcdefghijklmnopq\u{01}rstuvwxyz0123456789\r\n\r\n", .invalidFieldValue, 400),
        reject("DEL deep in a long value",
               "GET / HTTP/1.1\r\nHost: a\r\nX: abcdefghijklmnopqrstuvw\u{7F}xyz0123456789\r\n\r\n", .invalidFieldValue, 400),
        reject("escape in value", "GET / HTTP/1.1\r\nHost: a\r\nX: \u{1B}[0m\r\n\r\n", .invalidFieldValue, 400),
        reject("bare LF ends a field", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", .invalidLineEnding, 400),
        reject("bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", .invalidLineEnding, 400),
        reject("bare CR inside a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", .invalidLineEnding, 400),
        reject("bare CR in a name", "GET / HTTP/1.1\r\nHost: a\r\nX\r: b\r\n\r\n", .invalidFieldName, 400),
        reject("CR then not LF at the end", "GET / HTTP/1.1\r\nHost: a\r\n\rX: b\r\n\r\n", .invalidLineEnding, 400),
    ]

    static let semantics: [Rejection] = [
        reject("missing Host", "GET / HTTP/1.1\r\n\r\n", .missingHost, 400),
        reject("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", .duplicateHost, 400),
        reject("two Hosts on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", .duplicateHost, 400),
        reject("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .invalidHost, 400),
        reject("Host with path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .invalidHost, 400),
        reject("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", .invalidHost, 400),
        reject("Host with bad port", "GET / HTTP/1.1\r\nHost: a:http\r\n\r\n", .invalidHost, 400),
        reject("Host with long port", "GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", .invalidHost, 400),
        reject("Host with only a port", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", .invalidHost, 400),
        reject("Host unclosed IPv6", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", .invalidHost, 400),
        reject("Host with bad escape", "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", .invalidHost, 400),
        reject("Host with obs-text", "GET / HTTP/1.1\r\nHost: caf\u{E9}\r\n\r\n", .invalidHost, 400),
        reject("negative length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .invalidContentLength, 400),
        reject("plus sign length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", .invalidContentLength, 400),
        reject("space inside length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", .invalidContentLength, 400),
        reject("empty length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", .invalidContentLength, 400),
        reject("hex length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", .invalidContentLength, 400),
        reject("overflowing length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n",
               .invalidContentLength, 400),
        reject("length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", .invalidContentLength, 400),
        reject("different lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
               .conflictingContentLength, 400),
        reject("Transfer-Encoding after Content-Length",
               "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
               .contentLengthWithTransferEncoding, 400),
        reject("Content-Length after Transfer-Encoding, any case",
               "POST / HTTP/1.1\r\nHost: a\r\nTRANSFER-ENCODING: CHUNKED\r\ncontent-length: 0\r\n\r\n",
               .contentLengthWithTransferEncoding, 400),
        reject("h1spec's GET with both", "GET / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
               .contentLengthWithTransferEncoding, 400),
        reject("unsupported coding before chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
               .transferEncodingNotImplemented, 501),
        reject("unsupported coding on its own line",
               "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
               .transferEncodingNotImplemented, 501),
        reject("chunked not last", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
               .invalidTransferEncoding, 400),
        reject("no chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", .invalidTransferEncoding, 400),
        reject("identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", .invalidTransferEncoding, 400),
        reject("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
               .invalidTransferEncoding, 400),
        reject("chunked on two lines",
               "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
               .invalidTransferEncoding, 400),
        reject("chunked with a parameter", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n",
               .invalidTransferEncoding, 400),
        reject("empty Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n",
               .invalidTransferEncoding, 400),
        reject("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
               .invalidTransferEncoding, 400),
        reject("unknown expectation", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", .expectationFailed, 417),
        reject("continue plus another expectation", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, x\r\n\r\n",
               .expectationFailed, 417),
        reject("framing error wins over expectation",
               "POST / HTTP/1.1\r\nHost: a\r\nExpect: x\r\nTransfer-Encoding: gzip\r\n\r\n", .invalidTransferEncoding, 400),
    ]

    @Test(arguments: requestLine + fields + semantics)
    func rejects(_ rejection: Rejection) {
        let outcome = ParserHarness.consistent(bytes(rejection.request))
        #expect(outcome.error == rejection.error)
        #expect(outcome.error?.status == rejection.status)
    }

    @Test func failureIsStickyUntilReset() {
        var parser = RequestHeadParser()
        var headers: [HTTPHeaderField] = []
        let bad = bytes("GET / HTTP/1.1\r\nHost : a\r\n\r\n")
        let good = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(bad.withUnsafeBytes { parser.parse($0, into: &headers) } == .failure(.whitespaceBeforeColon))
        #expect(good.withUnsafeBytes { parser.parse($0, into: &headers) } == .failure(.whitespaceBeforeColon))
        parser.reset()
        #expect(good.withUnsafeBytes { parser.parse($0, into: &headers) } != .failure(.whitespaceBeforeColon))
    }

    // MARK: limits

    @Test func requestLineOverLimitIs414() {
        let limits = HTTPLimits(maxRequestLine: 20)
        let outcome = ParserHarness.consistent(bytes("GET /1234567 HTTP/1.1\r\nHost: a\r\n\r\n"), limits: limits)
        #expect(outcome.error == .requestLineTooLong)
        #expect(outcome.error?.status == 414)
    }

    @Test func requestLineOverLimitIs414BeforeItEnds() {
        let limits = HTTPLimits(maxRequestLine: 20)
        let outcome = ParserHarness.consistent(bytes("GET /" + String(repeating: "a", count: 40)), limits: limits)
        #expect(outcome.error == .requestLineTooLong)
    }

    @Test func badByteWithinTheLimitIsStill400() {
        let limits = HTTPLimits(maxRequestLine: 20)
        let outcome = ParserHarness.consistent(bytes("GET /a#" + String(repeating: "a", count: 40)), limits: limits)
        #expect(outcome.error == .invalidTarget)
    }

    @Test func defaultRequestLineLimitIs8192() {
        let fits = "GET /" + String(repeating: "a", count: 8192 - 14) + " HTTP/1.1"
        #expect(fits.utf8.count == 8192)
        let over = "GET /" + String(repeating: "a", count: 8192 - 13) + " HTTP/1.1"
        #expect(ParserHarness.whole(bytes(fits + "\r\nHost: a\r\n\r\n")).head != nil)
        #expect(ParserHarness.whole(bytes(over + "\r\nHost: a\r\n\r\n")).error == .requestLineTooLong)
        #expect(ParserHarness.byteByByte(bytes(over + "\r\nHost: a\r\n\r\n")).error == .requestLineTooLong)
    }

    @Test func headerSectionOverLimitIs431() {
        let limits = HTTPLimits(maxRequestLine: 20, maxHeaderBytes: 17)
        let outcome = ParserHarness.consistent(bytes("GET /123456 HTTP/1.1\r\nHost: abcdefgh\r\n\r\n"), limits: limits)
        #expect(outcome.error == .headersTooLarge)
        #expect(outcome.error?.status == 431)
    }

    @Test func defaultHeaderSectionLimitIs32768() {
        let value = String(repeating: "v", count: 32768)
        let outcome = ParserHarness.whole(bytes("GET / HTTP/1.1\r\nHost: a\r\nX: \(value)\r\n\r\n"))
        #expect(outcome.error == .headersTooLarge)
    }

    @Test func tooManyHeadersIs431() {
        let request = "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X: y\r\n", count: 100) + "\r\n"
        let outcome = ParserHarness.byteByByte(bytes(request))
        #expect(outcome.error == .tooManyHeaders)
        #expect(outcome.error?.status == 431)
        let small = HTTPLimits(maxHeaderCount: 2)
        let three = ParserHarness.consistent(bytes("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nY: 2\r\n\r\n"), limits: small)
        #expect(three.error == .tooManyHeaders)
    }

    @Test func emptyLinesBeforeTheRequestLineCountTowardItsLimit() {
        let limits = HTTPLimits(maxRequestLine: 20)
        let outcome = ParserHarness.consistent(bytes(String(repeating: "\r\n", count: 11) + "GET / HTTP/1.1\r\n"), limits: limits)
        #expect(outcome.error == .requestLineTooLong)
    }

    @Test func everyErrorHasAStatusCodeAndMessage() {
        let all = HTTPParseError.allCases
        let codes = Set(all.map { $0.code.description })
        #expect(codes.count == all.count)
        for error in all {
            #expect([400, 413, 414, 417, 431, 501, 505].contains(error.status))
            #expect(error.code.description.utf8.allSatisfy { $0 == 0x5F || (0x61...0x7A).contains($0) })
            #expect(!error.message.description.isEmpty)
        }
    }
}
