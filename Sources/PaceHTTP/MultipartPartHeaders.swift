/// The headers of one `multipart/form-data` part that matter here (RFC 7578): its field name,
/// its filename and its content type. Other headers are ignored.
package struct MultipartPartHeaders: Sendable, Equatable {
    package var name: String
    package var filename: String?
    /// The part's `Content-Type` as sent, unchecked.
    package var contentType: String?

    package init(name: String, filename: String? = nil, contentType: String? = nil) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
    }

    /// Parses a header block: lines ending in CRLF, then the empty line. Every part must have
    /// `Content-Disposition: form-data; name=…`.
    static func parse(_ block: [UInt8]) throws(MultipartError) -> MultipartPartHeaders {
        var disposition: MultipartPartHeaders?
        var contentType: String?
        for line in lines(block) where !line.isEmpty {
            guard let colon = line.firstIndex(of: ByteClass.colon) else { throw .malformedHeaders }
            let name = line[..<colon]
            guard !name.isEmpty, name.allSatisfy(ByteClass.isToken) else { throw .malformedHeaders }
            let value = Array(line[(colon + 1)...])
            guard value.allSatisfy(ByteClass.isFieldValue) else { throw .malformedHeaders }
            switch String(decoding: name, as: UTF8.self).lowercased() {
            case "content-disposition": disposition = try parseDisposition(value)
            case "content-type": contentType = String(decoding: trimmed(value), as: UTF8.self)
            default: break
            }
        }
        guard var headers = disposition else { throw .missingDisposition }
        headers.contentType = contentType
        return headers
    }

    /// `form-data; name="field"; filename="a.txt"`, with `filename*` (RFC 8187, UTF-8 only)
    /// preferred over `filename` when both are given.
    private static func parseDisposition(_ value: [UInt8]) throws(MultipartError) -> MultipartPartHeaders {
        var index = 0
        HeaderParameters.skipWhitespace(value, &index)
        let type = HeaderParameters.token(value, &index)
        guard String(decoding: type, as: UTF8.self).lowercased() == "form-data",
              let parameters = HeaderParameters.parse(value, from: index),
              let name = parameters.first(where: { $0.name == "name" })?.value else { throw .malformedHeaders }
        let extended = parameters.first { $0.name == "filename*" }
            .flatMap { PercentDecoding.decodeExtendedValue($0.value.utf8) }
        return MultipartPartHeaders(name: name,
                                    filename: extended ?? parameters.first { $0.name == "filename" }?.value)
    }

    /// `value` without leading and trailing optional whitespace.
    private static func trimmed(_ value: [UInt8]) -> ArraySlice<UInt8> {
        let start = value.firstIndex { !ByteClass.isWhitespace($0) } ?? value.endIndex
        let end = value.lastIndex { !ByteClass.isWhitespace($0) }.map { $0 + 1 } ?? start
        return value[start..<end]
    }

    /// The block's lines without their CRLF; a bare CR or LF inside a line is malformed.
    private static func lines(_ block: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index + 1 < block.count {
            if block[index] == ByteClass.carriageReturn && block[index + 1] == ByteClass.lineFeed {
                result.append(block[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        return result
    }
}
