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
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformedHeaders }
            let name = Array(line[..<colon])
            guard !name.isEmpty, name.allSatisfy(HeaderParameters.isTokenByte) else { throw .malformedHeaders }
            let value = Array(line[(colon + 1)...])
            guard value.allSatisfy({ $0 >= 0x20 || $0 == 0x09 }), value.last != 0x7F else { throw .malformedHeaders }
            switch String(decoding: name, as: UTF8.self).lowercased() {
            case "content-disposition": disposition = try parseDisposition(value)
            case "content-type": contentType = Substring(String(decoding: value, as: UTF8.self)).trimmingSpaces
            default: break
            }
        }
        guard var headers = disposition else { throw .missingDisposition }
        headers.contentType = contentType
        return headers
    }

    /// `form-data; name="field"; filename="a.txt"`, with `filename*` (RFC 5987, UTF-8 only)
    /// preferred over `filename` when both are given.
    private static func parseDisposition(_ value: [UInt8]) throws(MultipartError) -> MultipartPartHeaders {
        var index = 0
        HeaderParameters.skipWhitespace(value, &index)
        let type = HeaderParameters.token(value, &index)
        guard String(decoding: type, as: UTF8.self).lowercased() == "form-data",
              let parameters = HeaderParameters.parse(value, from: index),
              let name = parameters.first(where: { $0.name == "name" })?.value else { throw .malformedHeaders }
        let extended = parameters.first { $0.name == "filename*" }.flatMap { decodeExtended($0.value) }
        return MultipartPartHeaders(name: name,
                                    filename: extended ?? parameters.first { $0.name == "filename" }?.value)
    }

    /// `UTF-8''percent%20encoded` → the decoded text, or nil for other charsets or bad escapes.
    private static func decodeExtended(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        var bytes: [UInt8] = []
        var iterator = pieces[2].utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The block's lines without their CRLF; a bare CR or LF inside a line is malformed.
    private static func lines(_ block: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index + 1 < block.count {
            if block[index] == 0x0D && block[index + 1] == 0x0A {
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
