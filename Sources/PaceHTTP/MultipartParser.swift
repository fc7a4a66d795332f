/// What the parser reports while it walks a multipart body, in order.
package enum MultipartEvent {
    case partStart(MultipartPartHeaders)
    /// Bytes of the current part's body; valid only during the call.
    case data(UnsafeRawBufferPointer)
    case partEnd
}

/// Why a multipart body was refused; every case answers 400.
package enum MultipartError: Error, Equatable, Sendable {
    /// Bytes after a boundary other than `--`, padding and CRLF.
    case malformedDelimiter
    case headersTooLarge
    case malformedHeaders
    case missingDisposition
    case tooManyParts
    /// The body ended before the closing boundary.
    case truncated
}

/// An incremental `multipart/form-data` parser (RFC 2046 §5.1, RFC 7578): fed the body in
/// pieces of any size, it reports part headers and body bytes as soon as they are known,
/// holding back only the few bytes that might be the start of a boundary split across
/// pieces. Memory is bounded by the header limit, whatever the body size.
package struct MultipartParser {
    package struct Limits: Sendable {
        /// Largest header block of one part, CRLFs included.
        package var headerBytes = 8 * 1024
        package var parts = 32
        /// Spaces and tabs allowed between a boundary and its CRLF.
        package var padding = 64

        package init() {}
    }

    private enum State {
        case preamble, body, delimiterEnd, padding, closeDash, lineFeed, headers, epilogue
    }

    /// `CRLF--boundary`: what ends a part. Only its first byte is CR (boundaries hold none),
    /// so when a partial match fails, the held-back bytes cannot start another match.
    private let delimiter: [UInt8]
    private let limits: Limits
    private var state = State.preamble
    /// How many bytes of `delimiter` the input seen so far ends with (held back). The body
    /// starts as if after a CRLF, because the first boundary may open it directly.
    private var matched = 2
    private var headerBlock: [UInt8] = []
    private var paddingCount = 0
    private var partCount = 0

    /// `boundary` as `MediaType.boundary` checked it.
    package init(boundary: [UInt8], limits: Limits = Limits()) {
        delimiter = Array("\r\n--".utf8) + boundary
        self.limits = limits
    }

    /// Consumes `input`, calling `handle` for what it completes.
    package mutating func feed(_ input: UnsafeRawBufferPointer,
                               _ handle: (MultipartEvent) -> Void) throws(MultipartError) {
        var index = 0
        while index < input.count {
            switch state {
            case .preamble, .body: index = scan(input, from: index, handle)
            case .headers: index = try collectHeaders(input, from: index, handle)
            case .epilogue: return
            case .delimiterEnd, .padding, .closeDash, .lineFeed:
                try afterDelimiter(input[index])
                index += 1
            }
        }
    }

    /// The body is over: it must have ended with the closing boundary.
    package func finish() throws(MultipartError) {
        guard case .epilogue = state else { throw .truncated }
    }

    /// Looks for the delimiter from `start`, passing part bytes on (preamble bytes are dropped).
    private mutating func scan(_ input: UnsafeRawBufferPointer, from start: Int,
                               _ handle: (MultipartEvent) -> Void) -> Int {
        var index = start
        if matched > 0 {
            while matched < delimiter.count && index < input.count && input[index] == delimiter[matched] {
                matched += 1
                index += 1
            }
            if matched == delimiter.count { return delimiterFound(at: index, handle) }
            if index == input.count { return index }
            emitHeldBack(handle)
        }
        let runStart = index
        while let carriageReturn = Self.firstCarriageReturn(input, from: index) {
            var length = 0
            while length < delimiter.count && carriageReturn + length < input.count
                && input[carriageReturn + length] == delimiter[length] {
                length += 1
            }
            if length == delimiter.count {
                emit(input, runStart..<carriageReturn, handle)
                return delimiterFound(at: carriageReturn + length, handle)
            }
            if carriageReturn + length == input.count {
                emit(input, runStart..<carriageReturn, handle)
                matched = length
                return input.count
            }
            index = carriageReturn + 1
        }
        emit(input, runStart..<input.count, handle)
        return input.count
    }

    private mutating func delimiterFound(at index: Int, _ handle: (MultipartEvent) -> Void) -> Int {
        if case .body = state { handle(.partEnd) }
        matched = 0
        state = .delimiterEnd
        return index
    }

    /// The held-back bytes turned out not to be a delimiter: they were content.
    private mutating func emitHeldBack(_ handle: (MultipartEvent) -> Void) {
        if case .body = state {
            delimiter.withUnsafeBytes { handle(.data(UnsafeRawBufferPointer(rebasing: $0[0..<matched]))) }
        }
        matched = 0
    }

    private func emit(_ input: UnsafeRawBufferPointer, _ range: Range<Int>, _ handle: (MultipartEvent) -> Void) {
        guard case .body = state, !range.isEmpty else { return }
        handle(.data(UnsafeRawBufferPointer(rebasing: input[range])))
    }

    /// After `--boundary`: `--` closes the body; optional padding then CRLF starts a part.
    private mutating func afterDelimiter(_ byte: UInt8) throws(MultipartError) {
        switch (state, byte) {
        case (.delimiterEnd, ByteClass.hyphen): state = .closeDash
        case (.closeDash, ByteClass.hyphen): state = .epilogue
        case (.delimiterEnd, _) where ByteClass.isWhitespace(byte), (.padding, _) where ByteClass.isWhitespace(byte):
            paddingCount += 1
            guard paddingCount <= limits.padding else { throw .malformedDelimiter }
            state = .padding
        case (.delimiterEnd, ByteClass.carriageReturn), (.padding, ByteClass.carriageReturn):
            paddingCount = 0
            state = .lineFeed
        case (.lineFeed, ByteClass.lineFeed):
            headerBlock.removeAll(keepingCapacity: true)
            state = .headers
        default:
            throw .malformedDelimiter
        }
    }

    private mutating func collectHeaders(_ input: UnsafeRawBufferPointer, from start: Int,
                                         _ handle: (MultipartEvent) -> Void) throws(MultipartError) -> Int {
        var index = start
        while index < input.count {
            let byte = input[index]
            index += 1
            headerBlock.append(byte)
            guard headerBlock.count <= limits.headerBytes else { throw .headersTooLarge }
            guard byte == ByteClass.lineFeed, headerBlockEnded else { continue }
            let headers = try MultipartPartHeaders.parse(headerBlock)
            partCount += 1
            guard partCount <= limits.parts else { throw .tooManyParts }
            state = .body
            handle(.partStart(headers))
            return index
        }
        return index
    }

    /// The block is a lone CRLF (no headers) or ends with an empty line.
    private var headerBlockEnded: Bool {
        let count = headerBlock.count
        if count == 2 { return headerBlock[0] == ByteClass.carriageReturn }
        return count >= 4 && headerBlock[count - 4] == ByteClass.carriageReturn
            && headerBlock[count - 3] == ByteClass.lineFeed && headerBlock[count - 2] == ByteClass.carriageReturn
    }

    private static func firstCarriageReturn(_ input: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < input.count {
            if input[index] == ByteClass.carriageReturn { return index }
            index += 1
        }
        return nil
    }
}
