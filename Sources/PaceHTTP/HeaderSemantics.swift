/// What the fields governing framing and connection handling say, gathered one field line at
/// a time while the head is parsed so no second pass over the headers is needed.
///
/// Choices where RFC 9110/9112 leave room, made to shut out request smuggling:
/// - Repeated Content-Length lines with the same value are accepted (RFC 9110 section 8.6);
///   different values, or a comma list in one line, are 400.
/// - Transfer-Encoding must be exactly one `chunked`, last: `chunked, gzip` or `chunked,
///   chunked` is 400, `gzip, chunked` is 501 (a coding we do not implement), and any
///   Transfer-Encoding together with Content-Length, or in an HTTP/1.0 request, is 400.
/// - Expect other than `100-continue` is 417 on HTTP/1.1 and ignored on HTTP/1.0, as
///   RFC 9110 section 10.1.1 requires.
struct HeaderSemantics {
    var host: Range<Int>?
    var contentLength: Int?
    private var transferEncodingSeen = false
    private var chunkedCount = 0
    private var lastCodingIsChunked = false
    private var otherCoding = false
    private var connectionClose = false
    private var connectionKeepAlive = false
    private(set) var connectionUpgrade = false
    private var expectContinue = false
    private var otherExpectation = false

    /// Takes in one field line; fails at once on what is wrong whatever follows.
    mutating func add(_ field: HTTPHeaderField, _ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) {
        switch field.name.count {
        case 4 where HeaderLookup.equalsIgnoringCase(buffer, field.name, "host"):
            guard host == nil else { throw .duplicateHost }
            guard HostSyntax.isValid(buffer, field.value, allowEmpty: true) else { throw .invalidHost }
            host = field.value
        case 6 where HeaderLookup.equalsIgnoringCase(buffer, field.name, "expect"):
            addExpectation(field.value, buffer)
        case 10 where HeaderLookup.equalsIgnoringCase(buffer, field.name, "connection"):
            addConnectionOptions(field.value, buffer)
        case 14 where HeaderLookup.equalsIgnoringCase(buffer, field.name, "content-length"):
            let length = try Self.contentLength(field.value, buffer)
            if let existing = contentLength, existing != length { throw .conflictingContentLength }
            contentLength = length
        case 17 where HeaderLookup.equalsIgnoringCase(buffer, field.name, "transfer-encoding"):
            addTransferCodings(field.value, buffer)
        default:
            break
        }
    }

    /// Checks what can only be judged with every field seen, in the order that puts framing
    /// errors (which decide whether the connection can be trusted) before the rest.
    func check(minorVersion: UInt8) throws(HTTPParseError) {
        if minorVersion == 1, host == nil { throw .missingHost }
        if transferEncodingSeen {
            if contentLength != nil { throw .contentLengthWithTransferEncoding }
            if minorVersion == 0 || !lastCodingIsChunked || chunkedCount != 1 { throw .invalidTransferEncoding }
            if otherCoding { throw .transferEncodingNotImplemented }
        }
        if minorVersion == 1, otherExpectation { throw .expectationFailed }
    }

    var isChunked: Bool { transferEncodingSeen }

    /// HTTP/1.1 stays open unless told `close`; HTTP/1.0 closes unless told `keep-alive`.
    func keepAlive(minorVersion: UInt8) -> Bool {
        if connectionClose { return false }
        return minorVersion == 1 || connectionKeepAlive
    }

    func expectsContinue(minorVersion: UInt8) -> Bool {
        minorVersion == 1 && expectContinue
    }

    private mutating func addExpectation(_ value: Range<Int>, _ buffer: UnsafeRawBufferPointer) {
        HeaderLookup.forEachListElement(buffer, value) { element in
            if HeaderLookup.equalsIgnoringCase(buffer, element, "100-continue") {
                expectContinue = true
            } else {
                otherExpectation = true
            }
            return true
        }
    }

    private mutating func addConnectionOptions(_ value: Range<Int>, _ buffer: UnsafeRawBufferPointer) {
        HeaderLookup.forEachListElement(buffer, value) { element in
            switch element.count {
            case 5 where HeaderLookup.equalsIgnoringCase(buffer, element, "close"):
                connectionClose = true
            case 7 where HeaderLookup.equalsIgnoringCase(buffer, element, "upgrade"):
                connectionUpgrade = true
            case 10 where HeaderLookup.equalsIgnoringCase(buffer, element, "keep-alive"):
                connectionKeepAlive = true
            default:
                break
            }
            return true
        }
    }

    /// Codings accumulate across field lines, as if the lines were one comma list.
    private mutating func addTransferCodings(_ value: Range<Int>, _ buffer: UnsafeRawBufferPointer) {
        transferEncodingSeen = true
        lastCodingIsChunked = false
        HeaderLookup.forEachListElement(buffer, value) { element in
            lastCodingIsChunked = HeaderLookup.equalsIgnoringCase(buffer, element, "chunked")
            if lastCodingIsChunked { chunkedCount &+= 1 } else { otherCoding = true }
            return true
        }
    }

    /// `1*DIGIT`, no sign, no inner whitespace, no list, no overflow.
    private static func contentLength(_ value: Range<Int>, _ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        guard !value.isEmpty else { throw .invalidContentLength }
        var length = 0
        for index in value {
            let byte = buffer[index]
            guard ByteClass.isDigit(byte) else { throw .invalidContentLength }
            let (shifted, overflow1) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte &- ByteClass.zero))
            guard !overflow1, !overflow2 else { throw .invalidContentLength }
            length = sum
        }
        return length
    }
}
