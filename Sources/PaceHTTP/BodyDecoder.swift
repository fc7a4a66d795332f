/// Decodes a request body framed by Content-Length or by the chunked coding (RFC 9112
/// sections 6 and 7), resumably and without copying: data comes back as spans of the input.
///
/// Every framing byte is used up as soon as it is read, so nothing is rescanned; the one
/// exception is the trailer section, which stays in the buffer (reported as not consumed)
/// until it is complete, then is validated with the header rules and discarded. Chunk sizes
/// are `1*HEXDIG` with no sign, prefix or overflow; extensions are accepted, bounded and
/// ignored; each chunk's data must be followed by exactly CRLF. The running body size is
/// checked against `maxBodyBytes` when each chunk size is read, before its data arrives.
package struct BodyDecoder: Sendable {
    private enum State: Sendable {
        case fixed(remaining: Int)
        case chunkSize
        case chunkSizeWhitespace
        case chunkExtension
        case chunkSizeLineFeed
        case chunkData(remaining: Int)
        case chunkDataCarriageReturn
        case chunkDataLineFeed
        case trailers(FieldLineScanner, fieldCount: Int)
        case done
        case failed(HTTPParseError)
    }

    private var state: State
    private let maxBodyBytes: Int
    private let limits: HTTPLimits
    private var received = 0
    private var chunkSize = 0
    private var sizeDigits = 0
    private var lineBytes = 0

    /// A decoder for exactly `contentLength` bytes (negative counts as zero).
    package init(contentLength: Int) {
        state = .fixed(remaining: max(0, contentLength))
        maxBodyBytes = Int.max
        limits = HTTPLimits()
    }

    /// A decoder for a chunked body of at most `maxBodyBytes` data bytes.
    package init(chunkedWithMaxBodyBytes maxBodyBytes: Int, limits: HTTPLimits = HTTPLimits()) {
        state = .chunkSize
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.limits = limits
    }

    /// The decoder for `head`'s body, or 413 at head time when its Content-Length is over
    /// `maxBodyBytes`, so the server can refuse before reading (or answering 100 Continue).
    package static func forRequest(
        _ head: RequestHead, maxBodyBytes: Int, limits: HTTPLimits = HTTPLimits()
    ) throws(HTTPParseError) -> BodyDecoder {
        if head.isChunked { return BodyDecoder(chunkedWithMaxBodyBytes: maxBodyBytes, limits: limits) }
        let length = head.contentLength ?? 0
        guard length <= maxBodyBytes else { throw .bodyTooLarge }
        return BodyDecoder(contentLength: length)
    }

    /// Whether the whole body has been decoded.
    package var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Decodes from the start of `buffer`, which continues exactly where the bytes used up by
    /// the previous step ended.
    package mutating func decode(_ buffer: UnsafeRawBufferPointer) -> BodyStep {
        var pos = 0
        while true {
            switch state {
            case .done:
                return .end(consumed: pos)
            case .failed(let error):
                return .failure(error)
            case .fixed(let remaining):
                guard remaining > 0 else {
                    state = .done
                    return .end(consumed: pos)
                }
                guard pos < buffer.count else { return .needMore(consumed: pos) }
                let span = pos..<(pos &+ min(remaining, buffer.count &- pos))
                state = .fixed(remaining: remaining &- span.count)
                return .data(span)
            case .chunkData(let remaining):
                guard pos < buffer.count else { return .needMore(consumed: pos) }
                let span = pos..<(pos &+ min(remaining, buffer.count &- pos))
                state = span.count == remaining ? .chunkDataCarriageReturn : .chunkData(remaining: remaining &- span.count)
                return .data(span)
            case .trailers(var scanner, let fieldCount):
                return trailers(&scanner, fieldCount, buffer, pos)
            default:
                guard pos < buffer.count else { return .needMore(consumed: pos) }
                if let error = framing(buffer[pos]) { return fail(error) }
                pos &+= 1
            }
        }
    }

    /// Advances over one byte of chunk framing.
    private mutating func framing(_ byte: UInt8) -> HTTPParseError? {
        switch state {
        case .chunkSize:
            return sizeByte(byte)
        case .chunkSizeWhitespace:
            if let error = countLineByte() { return error }
            if byte == ByteClass.semicolon {
                state = .chunkExtension
            } else if !ByteClass.isWhitespace(byte) {
                return .invalidChunkExtension
            }
        case .chunkExtension:
            if let error = countLineByte() { return error }
            if byte == ByteClass.carriageReturn {
                state = .chunkSizeLineFeed
            } else if !ByteClass.isFieldValue(byte) {
                return byte == ByteClass.lineFeed ? .invalidLineEnding : .invalidChunkExtension
            }
        case .chunkSizeLineFeed:
            guard byte == ByteClass.lineFeed else { return .invalidLineEnding }
            state = chunkSize == 0
                ? .trailers(FieldLineScanner(start: 0, maxBytes: limits.maxTrailerBytes, overflow: .trailersTooLarge),
                            fieldCount: 0)
                : .chunkData(remaining: chunkSize)
        case .chunkDataCarriageReturn:
            guard byte == ByteClass.carriageReturn else { return .invalidChunkTerminator }
            state = .chunkDataLineFeed
        case .chunkDataLineFeed:
            guard byte == ByteClass.lineFeed else { return .invalidChunkTerminator }
            chunkSize = 0
            sizeDigits = 0
            lineBytes = 0
            state = .chunkSize
        default:
            break
        }
        return nil
    }

    private mutating func sizeByte(_ byte: UInt8) -> HTTPParseError? {
        if let error = countLineByte() { return error }
        if let digit = ByteClass.hexValue(byte) {
            guard chunkSize <= Int.max >> 4 else { return .invalidChunkSize }
            chunkSize = chunkSize &<< 4 | Int(digit)
            sizeDigits &+= 1
            return nil
        }
        guard sizeDigits > 0 else { return .invalidChunkSize }
        switch byte {
        case ByteClass.carriageReturn: state = .chunkSizeLineFeed
        case ByteClass.semicolon: state = .chunkExtension
        case ByteClass.space, ByteClass.tab: state = .chunkSizeWhitespace
        case ByteClass.lineFeed: return .invalidLineEnding
        default: return .invalidChunkSize
        }
        guard chunkSize <= maxBodyBytes &- received else { return .bodyTooLarge }
        received &+= chunkSize
        return nil
    }

    private mutating func countLineByte() -> HTTPParseError? {
        lineBytes &+= 1
        return lineBytes > limits.maxChunkLine ? .chunkLineTooLong : nil
    }

    /// Scans the trailer section in place from `start`; it is reported consumed only once it
    /// is complete, so the scanner's offsets stay valid across calls.
    private mutating func trailers(
        _ scanner: inout FieldLineScanner, _ fieldCount: Int, _ buffer: UnsafeRawBufferPointer, _ start: Int
    ) -> BodyStep {
        let section = UnsafeRawBufferPointer(rebasing: buffer[start...])
        var count = fieldCount
        while true {
            switch scanner.next(section) {
            case .field:
                count &+= 1
                guard count <= limits.maxTrailerCount else { return fail(.trailersTooLarge) }
            case .end(let end):
                state = .done
                return .end(consumed: start &+ end)
            case .needMore:
                state = .trailers(scanner, fieldCount: count)
                return .needMore(consumed: start)
            case .failure(let error):
                return fail(error)
            }
        }
    }

    private mutating func fail(_ error: HTTPParseError) -> BodyStep {
        state = .failed(error)
        return .failure(error)
    }
}
