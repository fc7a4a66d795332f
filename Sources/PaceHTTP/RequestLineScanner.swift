/// Scans a request line (RFC 9112 section 3) resumably: `method SP request-target SP
/// HTTP-version CRLF`, single spaces, nothing else.
///
/// It checks syntax byte by byte and leaves meaning (which methods, versions and target
/// forms are served) to `RequestHeadParser`, which sees the whole line first so a malformed
/// line is always 400 whatever its method or version. Empty lines before the request line
/// are skipped (RFC 9112 section 2.2) and count toward the line's length limit.
struct RequestLineScanner {
    /// A syntactically valid request line.
    struct Line: Equatable {
        /// Nil for a valid method token that is not an `HTTPMethod`.
        var method: HTTPMethod?
        var target: Range<Int>
        /// Where the first `?` of the target is, if any.
        var queryMark: Int?
        var major: UInt8
        var minor: UInt8
        /// The offset just past the line's LF.
        var end: Int
    }

    enum Event: Equatable {
        case complete(Line)
        case needMore
        case failure(HTTPParseError)
    }

    private enum State: UInt8 {
        case start, leadingLineFeed, method, target, version, lineFeed
    }

    private static let versionPrefix: StaticString = "HTTP/"

    private var position = 0
    private let limitEnd: Int
    private var state = State.start
    private var methodKey: UInt64 = 0
    private var methodLength = 0
    private var targetStart = 0
    private var targetEnd = 0
    private var queryMark: Int?
    private var versionIndex = 0
    private var major: UInt8 = 0
    private var minor: UInt8 = 0

    /// A scanner for a line of at most `maxLength` bytes before its CRLF.
    init(maxLength: Int) {
        let (end, overflowed) = max(0, maxLength).addingReportingOverflow(2)
        limitEnd = overflowed ? Int.max : end
    }

    /// Scans on from where the previous call stopped; `buffer` starts at the request.
    mutating func next(_ buffer: UnsafeRawBufferPointer) -> Event {
        let end = min(buffer.count, limitEnd)
        var pos = position
        defer { position = pos }
        while pos < end {
            let byte = buffer[pos]
            switch state {
            case .start:
                if let error = start(byte, at: pos) { return .failure(error) }
                pos &+= 1
            case .leadingLineFeed:
                guard byte == ByteClass.lineFeed else { return .failure(.invalidLineEnding) }
                state = .start
                pos &+= 1
            case .method:
                if let error = scanMethod(buffer, &pos, end) { return .failure(error) }
            case .target:
                if let error = scanTarget(buffer, &pos, end) { return .failure(error) }
            case .version:
                if let error = version(byte) { return .failure(error) }
                pos &+= 1
            case .lineFeed:
                guard byte == ByteClass.lineFeed else { return .failure(.invalidLineEnding) }
                pos &+= 1
                return .complete(Line(method: methodLength <= HTTPMethod.maxNameLength
                                          ? HTTPMethod.fromPackedName(methodKey) : nil,
                                      target: targetStart..<targetEnd, queryMark: queryMark,
                                      major: major, minor: minor, end: pos))
            }
        }
        return limitEnd <= buffer.count ? .failure(.requestLineTooLong) : .needMore
    }

    private mutating func start(_ byte: UInt8, at pos: Int) -> HTTPParseError? {
        if byte == ByteClass.carriageReturn {
            state = .leadingLineFeed
            return nil
        }
        guard ByteClass.isToken(byte) else {
            return byte == ByteClass.lineFeed ? .invalidLineEnding : .invalidMethod
        }
        methodKey = UInt64(byte)
        methodLength = 1
        state = .method
        return nil
    }

    @inline(__always)
    private mutating func scanMethod(_ buffer: UnsafeRawBufferPointer, _ pos: inout Int, _ end: Int) -> HTTPParseError? {
        while pos < end {
            let byte = buffer[pos]
            if ByteClass.isToken(byte) {
                methodKey = methodKey &<< 8 | UInt64(byte)
                methodLength &+= 1
                pos &+= 1
            } else if byte == ByteClass.space {
                pos &+= 1
                targetStart = pos
                state = .target
                return nil
            } else {
                return .invalidMethod
            }
        }
        return nil
    }

    @inline(__always)
    private mutating func scanTarget(_ buffer: UnsafeRawBufferPointer, _ pos: inout Int, _ end: Int) -> HTTPParseError? {
        while pos < end {
            let byte = buffer[pos]
            if ByteClass.isTarget(byte) {
                if byte == ByteClass.question, queryMark == nil { queryMark = pos }
                pos &+= 1
            } else if byte == ByteClass.space {
                guard pos > targetStart else { return .invalidTarget }
                targetEnd = pos
                pos &+= 1
                state = .version
                return nil
            } else if byte == ByteClass.carriageReturn || byte == ByteClass.lineFeed {
                return .invalidVersion
            } else {
                return .invalidTarget
            }
        }
        return nil
    }

    /// Checks one byte of `HTTP/d.d` and the CR after it.
    private mutating func version(_ byte: UInt8) -> HTTPParseError? {
        let index = versionIndex
        versionIndex &+= 1
        switch index {
        case 0..<5:
            let expected = Self.versionPrefix.withUTF8Buffer { $0[index] }
            return byte == expected ? nil : .invalidVersion
        case 5, 7:
            guard ByteClass.isDigit(byte) else { return .invalidVersion }
            if index == 5 { major = byte &- ByteClass.zero } else { minor = byte &- ByteClass.zero }
            return nil
        case 6:
            return byte == 0x2E ? nil : .invalidVersion
        default:
            if byte == ByteClass.carriageReturn {
                state = .lineFeed
                return nil
            }
            return byte == ByteClass.lineFeed ? .invalidLineEnding : .invalidVersion
        }
    }
}
