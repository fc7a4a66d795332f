/// Scans field lines (RFC 9112 section 5) one at a time, resumably, for both the header
/// section and the chunked trailer section, so both obey exactly the same rules.
///
/// Offsets are positions in the buffer, which must start at the same byte on every call; a
/// call resumes where the previous one stopped, so no byte is scanned twice. The section size
/// limit is enforced at the byte where it is crossed, so the outcome does not depend on how
/// the input was split into reads.
struct FieldLineScanner {
    enum Event: Equatable {
        case field(HTTPHeaderField)
        /// The empty line closing the section; the section ends before `Int`.
        case end(Int)
        case needMore
        case failure(HTTPParseError)
    }

    private enum State: UInt8 {
        case lineStart, name, leadingWhitespace, value, lineFeed, finalLineFeed
    }

    /// The next byte to scan.
    private(set) var position: Int
    private let limitEnd: Int
    private let overflow: HTTPParseError
    private var state = State.lineStart
    private var nameStart = 0
    private var nameEnd = 0
    private var valueStart = 0
    private var valueEnd = 0

    /// A scanner for a section starting at `start` that may span at most `maxBytes` bytes,
    /// failing with `overflow` past that.
    init(start: Int, maxBytes: Int, overflow: HTTPParseError) {
        position = start
        let (end, overflowed) = start.addingReportingOverflow(max(0, maxBytes))
        limitEnd = overflowed ? Int.max : end
        self.overflow = overflow
    }

    /// Scans until one field line or the end of the section is complete.
    mutating func next(_ buffer: UnsafeRawBufferPointer) -> Event {
        let end = min(buffer.count, limitEnd)
        var pos = position
        defer { position = pos }
        while pos < end {
            switch state {
            case .lineStart:
                let byte = buffer[pos]
                if ByteClass.isToken(byte) {
                    nameStart = pos
                    state = .name
                } else if byte == ByteClass.carriageReturn {
                    state = .finalLineFeed
                } else {
                    return .failure(Self.lineStartError(byte))
                }
                pos &+= 1
            case .name:
                while pos < end, ByteClass.isToken(buffer[pos]) { pos &+= 1 }
                guard pos < end else { continue }
                let byte = buffer[pos]
                guard byte == ByteClass.colon else {
                    return .failure(ByteClass.isWhitespace(byte) ? .whitespaceBeforeColon : .invalidFieldName)
                }
                nameEnd = pos
                pos &+= 1
                state = .leadingWhitespace
            case .leadingWhitespace:
                while pos < end, ByteClass.isWhitespace(buffer[pos]) { pos &+= 1 }
                guard pos < end else { continue }
                valueStart = pos
                valueEnd = pos
                state = .value
            case .value:
                if let error = scanValue(buffer, &pos, end) { return .failure(error) }
            case .lineFeed:
                guard buffer[pos] == ByteClass.lineFeed else { return .failure(.invalidLineEnding) }
                pos &+= 1
                state = .lineStart
                return .field(HTTPHeaderField(name: nameStart..<nameEnd, value: valueStart..<valueEnd))
            case .finalLineFeed:
                guard buffer[pos] == ByteClass.lineFeed else { return .failure(.invalidLineEnding) }
                pos &+= 1
                state = .lineStart
                return .end(pos)
            }
        }
        return limitEnd <= buffer.count ? .failure(overflow) : .needMore
    }

    /// Scans value bytes up to and including the CR ending the line, eight at a time where
    /// it can; trailing whitespace is trimmed once the CR is found.
    @inline(__always)
    private mutating func scanValue(_ buffer: UnsafeRawBufferPointer, _ pos: inout Int, _ end: Int) -> HTTPParseError? {
        while pos &+ 8 <= end, SWAR.allFieldValueBytes(buffer.loadUnaligned(fromByteOffset: pos, as: UInt64.self)) {
            pos &+= 8
        }
        while pos < end {
            let byte = buffer[pos]
            if ByteClass.isFieldValue(byte) {
                pos &+= 1
            } else if byte == ByteClass.carriageReturn {
                var last = pos
                while last > valueStart, ByteClass.isWhitespace(buffer[last &- 1]) { last &-= 1 }
                valueEnd = last
                pos &+= 1
                state = .lineFeed
                return nil
            } else {
                return byte == ByteClass.lineFeed ? .invalidLineEnding : .invalidFieldValue
            }
        }
        return nil
    }

    private static func lineStartError(_ byte: UInt8) -> HTTPParseError {
        if ByteClass.isWhitespace(byte) { return .obsoleteLineFolding }
        if byte == ByteClass.lineFeed { return .invalidLineEnding }
        return .invalidFieldName
    }
}
