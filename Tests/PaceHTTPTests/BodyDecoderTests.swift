import Testing
@testable import PaceHTTP

/// Chunked and fixed-length bodies, decoded through the emulated server loop whole, byte by
/// byte and split at every position.
struct BodyDecoderTests {
    struct Chunked: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var expected: Result<String, HTTPParseError>
        var maxBodyBytes = 1 << 20
        var testDescription: String { name }
    }

    private static let chunkedHead = "POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

    private static func accept(_ name: String, _ body: String, _ data: String) -> Chunked {
        Chunked(name: name, body: body, expected: .success(data))
    }

    private static func reject(_ name: String, _ body: String, _ error: HTTPParseError, max: Int = 1 << 20) -> Chunked {
        Chunked(name: name, body: body, expected: .failure(error), maxBodyBytes: max)
    }

    static let cases: [Chunked] = [
        accept("one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello"),
        accept("empty body", "0\r\n\r\n", ""),
        accept("several chunks", "1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n0\r\n\r\n", "abcdef"),
        accept("upper and lower hex", "A\r\n0123456789\r\na\r\nABCDEFGHIJ\r\n0\r\n\r\n", "0123456789ABCDEFGHIJ"),
        accept("leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello"),
        accept("extensions", "5;name=value;flag\r\nhello\r\n6 ;\tq=\"a b\"\r\n world\r\n0;last\r\n\r\n", "hello world"),
        accept("zero chunk with trailers", "3\r\nabc\r\n0\r\nX-Checksum: 123\r\nOther:\r\n\r\n", "abc"),
        accept("data holding CRLF", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n"),
        accept("body exactly at the limit", "5\r\nhello\r\n0\r\n\r\n", "hello"),
        reject("empty size", "\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        reject("negative size", "-5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        reject("plus sign", "+5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        reject("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        reject("leading space", " 5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        reject("not hex", "5g\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        reject("huge hex overflows", "10000000000000000\r\n", .invalidChunkSize),
        reject("largest hex is over the limit", "7FFFFFFFFFFFFFFF\r\n", .bodyTooLarge),
        reject("one chunk over the limit", "6\r\nhello!\r\n0\r\n\r\n", .bodyTooLarge, max: 5),
        reject("running total over the limit", "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", .bodyTooLarge, max: 5),
        reject("trailing space without extension", "5 \r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
        reject("control byte in extension", "5;a\u{01}\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
        reject("extension too long", "5;" + String(repeating: "x", count: 1100) + "\r\nhello\r\n0\r\n\r\n", .chunkLineTooLong),
        reject("leading zeros too long", String(repeating: "0", count: 1100) + "5\r\nhello\r\n0\r\n\r\n", .chunkLineTooLong),
        reject("bare LF after size", "5\nhello\r\n0\r\n\r\n", .invalidLineEnding),
        reject("bare CR after size", "5\rhello\r\n0\r\n\r\n", .invalidLineEnding),
        reject("bare LF in extension", "5;x\nhello\r\n0\r\n\r\n", .invalidLineEnding),
        reject("data longer than its size", "5\r\nhello!\r\n0\r\n\r\n", .invalidChunkTerminator),
        reject("LF without CR after data", "5\r\nhello\n0\r\n\r\n", .invalidChunkTerminator),
        reject("CR without LF after data", "5\r\nhello\r0\r\n\r\n", .invalidChunkTerminator),
        reject("trailer obs-fold", "0\r\nA: 1\r\n 2\r\n\r\n", .obsoleteLineFolding),
        reject("trailer bad name", "0\r\nA B: 1\r\n\r\n", .whitespaceBeforeColon),
        reject("trailer control byte", "0\r\nA: \u{00}\r\n\r\n", .invalidFieldValue),
        reject("trailer bare LF", "0\r\nA: 1\n\r\n", .invalidLineEnding),
        reject("final bare LF", "0\r\n\n", .invalidLineEnding),
        reject("too many trailers", "0\r\n" + String(repeating: "T: 1\r\n", count: 33) + "\r\n", .trailersTooLarge),
        reject("trailer section too large", "0\r\nT: " + String(repeating: "v", count: 8200) + "\r\n\r\n", .trailersTooLarge),
    ]

    @Test(arguments: cases)
    func chunked(_ check: Chunked) {
        let stream = bytes(Self.chunkedHead + check.body)
        let run = ConnectionHarness.consistent(stream, maxBodyBytes: check.maxBodyBytes)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.prefix(3))")
        switch check.expected {
        case .success(let data):
            #expect(run.outcome.error == nil)
            #expect(!run.outcome.pending)
            #expect(run.outcome.requests.map(\.body) == [bytes(data)])
        case .failure(let error):
            #expect(run.outcome.error == error)
            #expect(run.outcome.requests.isEmpty)
        }
    }

    @Test func bodyLimitWithLargeDefaultsIsExact() {
        let body = String(repeating: "z", count: 300)
        let ok = ConnectionHarness.whole(bytes(Self.chunkedHead + "12C\r\n" + body + "\r\n0\r\n\r\n"), maxBodyBytes: 300)
        let over = ConnectionHarness.whole(bytes(Self.chunkedHead + "12C\r\n" + body + "\r\n0\r\n\r\n"), maxBodyBytes: 299)
        #expect(ok.requests.first?.body.count == 300)
        #expect(over.error == .bodyTooLarge)
        #expect(over.error?.status == 413)
    }

    @Test func missingFinalCRLFWaitsForMore() {
        let run = ConnectionHarness.consistent(bytes(Self.chunkedHead + "3\r\nabc\r\n0\r\n"))
        #expect(run.mismatches.isEmpty)
        #expect(run.outcome.pending)
        #expect(run.outcome.requests.isEmpty)
    }

    @Test func contentLengthOverTheLimitFailsAtHeadTime() throws {
        let input = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n")
        let head = try #require(ParserHarness.whole(input).head)
        #expect(throws: HTTPParseError.bodyTooLarge) { try BodyDecoder.forRequest(head, maxBodyBytes: 1000) }
        #expect(throws: Never.self) { try BodyDecoder.forRequest(head, maxBodyBytes: 1001) }
    }

    @Test func noBodyEndsAtOnce() throws {
        let head = try #require(ParserHarness.whole(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")).head)
        var decoder = try BodyDecoder.forRequest(head, maxBodyBytes: 0)
        let step = bytes("GET /next").withUnsafeBytes { decoder.decode($0) }
        #expect(step == .end(consumed: 0))
        #expect(decoder.isComplete)
    }

    @Test func fixedLengthReturnsSpansAndLeavesTheNextRequest() {
        var decoder = BodyDecoder(contentLength: 5)
        let first = bytes("hel")
        #expect(first.withUnsafeBytes { decoder.decode($0) } == .data(0..<3))
        #expect(decoder.decode(UnsafeRawBufferPointer(start: nil, count: 0)) == .needMore(consumed: 0))
        let second = bytes("loGET")
        #expect(second.withUnsafeBytes { decoder.decode($0) } == .data(0..<2))
        #expect(bytes("GET").withUnsafeBytes { decoder.decode($0) } == .end(consumed: 0))
        #expect(decoder.isComplete)
    }

    @Test func chunkedConsumesFramingAsItGoes() {
        var decoder = BodyDecoder(chunkedWithMaxBodyBytes: 100)
        #expect(bytes("1").withUnsafeBytes { decoder.decode($0) } == .needMore(consumed: 1))
        #expect(bytes("0\r\n").withUnsafeBytes { decoder.decode($0) } == .needMore(consumed: 3))
        #expect(bytes("0123456789abcdef").withUnsafeBytes { decoder.decode($0) } == .data(0..<16))
        #expect(bytes("\r\n0\r\nT: 1").withUnsafeBytes { decoder.decode($0) } == .needMore(consumed: 5))
        #expect(bytes("T: 1\r\n\r\nNEXT").withUnsafeBytes { decoder.decode($0) } == .end(consumed: 8))
        #expect(decoder.isComplete)
    }

    @Test func failureIsSticky() {
        var decoder = BodyDecoder(chunkedWithMaxBodyBytes: 100)
        #expect(bytes("x").withUnsafeBytes { decoder.decode($0) } == .failure(.invalidChunkSize))
        #expect(bytes("5\r\n").withUnsafeBytes { decoder.decode($0) } == .failure(.invalidChunkSize))
    }
}
