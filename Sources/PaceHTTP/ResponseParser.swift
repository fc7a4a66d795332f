/// A response as Pace's HTTP client receives it: the status, the fields it acts on, and the
/// body up to the client's cap.
package struct ClientResponse: Sendable, Equatable {
    package var status: Int
    /// Every header field in order, names lowercased.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// The body went past the cap; the rest was not read and the connection is not reused.
    package var truncated: Bool
    /// The server may take another request on this connection.
    package var reusable: Bool

    package func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    package static func == (lhs: ClientResponse, rhs: ClientResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.truncated == rhs.truncated
            && lhs.reusable == rhs.reusable && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
    }
}

/// Why a response could not be read; the connection is closed.
package enum ResponseParseError: Error, Equatable, Sendable {
    case headTooLarge
    case invalidStatusLine
    case invalidHeader
    case invalidContentLength
    case invalidBody
    /// The connection closed before the response was complete.
    case truncated
}

/// One step of `ResponseParser.parse`.
package enum ResponseStep: Equatable, Sendable {
    /// All of the input was used up; give more (or `finish` at end of stream).
    case needMore
    /// The response is complete after `consumed` bytes of the last input (all of it when the
    /// body was truncated: the connection is closed then).
    case complete(ClientResponse, consumed: Int)
    case failed(ResponseParseError)
}

/// Reads one HTTP/1.1 response, resumably: fed whole or a byte at a time it gives the same
/// answer. The head is bounded by `maxHeadBytes` (checked before it is kept), the body by
/// `maxBodyBytes` (past it the response completes as `truncated`). Bodies are framed by
/// Content-Length, chunked coding (`BodyDecoder`) or the end of the stream.
package struct ResponseParser: Sendable {
    private enum Framing: Sendable {
        case decoder(BodyDecoder)
        case untilClose
    }

    private let maxHeadBytes: Int
    private let maxBodyBytes: Int
    private let isHeadRequest: Bool
    private var head: [UInt8] = []
    private var response: ClientResponse?
    private var framing: Framing?
    private var pendingFraming: [UInt8] = []

    package init(maxHeadBytes: Int = 16 * 1024, maxBodyBytes: Int = 64 * 1024, isHeadRequest: Bool = false) {
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
        self.isHeadRequest = isHeadRequest
    }

    /// Consumes `bytes`, which continue where the previous call's input ended.
    package mutating func parse(_ bytes: UnsafeRawBufferPointer) -> ResponseStep {
        var pos = 0
        if response == nil {
            while pos < bytes.count {
                guard head.count < maxHeadBytes else { return .failed(.headTooLarge) }
                head.append(bytes[pos])
                pos += 1
                if head.count >= 4, head[head.count - 4] == 13, head[head.count - 3] == 10,
                   head[head.count - 2] == 13, head[head.count - 1] == 10 {
                    switch parseHead() {
                    case .failure(let error): return .failed(error)
                    case .success(let parsed?): return .complete(parsed, consumed: pos)
                    case .success(nil): break
                    }
                    break
                }
            }
            if response == nil { return .needMore }
        }
        return parseBody(bytes, from: pos)
    }

    /// The peer closed: a body framed by the end of the stream is complete now.
    package mutating func finish() -> ResponseStep {
        guard var response, case .untilClose = framing else { return .failed(.truncated) }
        response.reusable = false
        return .complete(response, consumed: 0)
    }

    private mutating func parseBody(_ bytes: UnsafeRawBufferPointer, from start: Int) -> ResponseStep {
        guard var response, let framing else { return .failed(.invalidBody) }
        switch framing {
        case .untilClose:
            if let step = append(bytes, start..<bytes.count, to: &response, consumed: bytes.count) { return step }
            self.response = response
            return .needMore
        case .decoder(var decoder):
            // The decoder needs its unused framing bytes offered again, so keep them across calls.
            pendingFraming.append(contentsOf: bytes[start...])
            var offset = 0
            defer { self.framing = .decoder(decoder) }
            while true {
                let step = pendingFraming.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                switch step {
                case .data(let range):
                    let span = (range.lowerBound + offset)..<(range.upperBound + offset)
                    let kept = pendingFraming.withUnsafeBytes {
                        append($0, span, to: &response, consumed: bytes.count)
                    }
                    if let kept { return kept }
                    offset = span.upperBound
                case .needMore(let consumed):
                    pendingFraming.removeFirst(offset + consumed)
                    self.response = response
                    return .needMore
                case .end(let consumed):
                    let unused = pendingFraming.count - offset - consumed
                    return .complete(response, consumed: bytes.count - unused)
                case .failure:
                    return .failed(.invalidBody)
                }
            }
        }
    }

    /// Appends body bytes, or completes the response as truncated at the cap.
    private func append(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to response: inout ClientResponse,
                        consumed: Int) -> ResponseStep? {
        let room = maxBodyBytes - response.body.count
        if range.count > room {
            response.body.append(contentsOf: bytes[range.lowerBound..<(range.lowerBound + room)])
            response.truncated = true
            response.reusable = false
            return .complete(response, consumed: consumed)
        }
        response.body.append(contentsOf: bytes[range])
        return nil
    }

    /// Parses the complete head; the whole response when it has no body to read.
    private mutating func parseHead() -> Result<ClientResponse?, ResponseParseError> {
        var lines = head.dropLast(4).split(separator: 10, omittingEmptySubsequences: false).map { line in
            line.last == 13 ? line.dropLast() : line
        }
        guard !lines.isEmpty else { return .failure(.invalidStatusLine) }
        let statusLine = lines.removeFirst()
        guard let status = Self.status(statusLine) else { return .failure(.invalidStatusLine) }
        var response = ClientResponse(status: status.code, headers: [], body: [], truncated: false,
                                      reusable: status.minor == 1)
        var contentLength: Int?
        var chunked = false
        for line in lines {
            guard let colon = line.firstIndex(of: 58), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy(Self.isTokenByte),
                  !line.contains(0) else { return .failure(.invalidHeader) }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: Self.trimmed(line[(colon + 1)...]), as: UTF8.self)
            response.headers.append((name, value))
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0, contentLength == nil || contentLength == length else {
                    return .failure(.invalidContentLength)
                }
                contentLength = length
            case "transfer-encoding":
                chunked = value.lowercased().split(separator: ",").last?.trimmingSpaces == "chunked"
                if !chunked { response.reusable = false }
            case "connection":
                if value.lowercased().split(separator: ",").contains(where: { $0.trimmingSpaces == "close" }) {
                    response.reusable = false
                }
            default: break
            }
        }
        self.response = response
        if isHeadRequest || (100..<200).contains(status.code) || status.code == 204 || status.code == 304 {
            return .success(response)
        }
        if chunked {
            framing = .decoder(BodyDecoder(chunkedWithMaxBodyBytes: Int.max))
        } else if let contentLength {
            if contentLength == 0 { return .success(response) }
            framing = .decoder(BodyDecoder(contentLength: contentLength))
        } else {
            self.response?.reusable = false
            framing = .untilClose
        }
        return .success(nil)
    }

    private static func status(_ line: ArraySlice<UInt8>) -> (code: Int, minor: Int)? {
        let prefix = Array("HTTP/1.".utf8)
        guard line.count >= 12, line.prefix(7).elementsEqual(prefix) else { return nil }
        let bytes = Array(line)
        guard bytes[7] == 48 || bytes[7] == 49, bytes[8] == 32 else { return nil }
        let digits = bytes[9..<12]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), bytes.count == 12 || bytes[12] == 32 else { return nil }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        guard code >= 100 else { return nil }
        return (code, Int(bytes[7] - 48))
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 32 || first == 9 { slice.removeFirst() }
        while let last = slice.last, last == 32 || last == 9 { slice.removeLast() }
        return slice
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
