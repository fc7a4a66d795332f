/// Percent-decoding (RFC 3986 section 2.1) of path segments, query components and extended
/// parameter values into strings; it allocates and is never on the request-head path.
package enum PercentDecoding {
    /// The decoded text of one path segment, or nil when an escape is malformed, the result
    /// is not valid UTF-8, or it holds NUL or a decoded `/` (which would let `%2F` smuggle a
    /// segment boundary past the router). `+` stays `+` in paths.
    package static func decodePathSegment(_ bytes: some Collection<UInt8>) -> String? {
        decode(bytes, plusAsSpace: false, allowSlash: false)
    }

    /// The decoded text of a query name or value, `+` meaning space (HTML form encoding),
    /// or nil when an escape is malformed, the result is not valid UTF-8, or it holds NUL.
    package static func decodeQueryComponent(_ bytes: some Collection<UInt8>) -> String? {
        decode(bytes, plusAsSpace: true, allowSlash: true)
    }

    /// The text of an RFC 8187 `ext-value` (`UTF-8'lang'percent%20encoded`, as `filename*`
    /// carries it), or nil when the charset is not UTF-8 (the one charset RFC 8187 obliges
    /// recipients to read), an escape is malformed, the result is not valid UTF-8, or it holds NUL.
    package static func decodeExtendedValue(_ bytes: some Collection<UInt8>) -> String? {
        guard let charsetEnd = bytes.firstIndex(of: ByteClass.apostrophe),
              bytes[..<charsetEnd].map(ByteClass.lowercased) == Array("utf-8".utf8) else { return nil }
        let afterCharset = bytes.index(after: charsetEnd)
        guard let languageEnd = bytes[afterCharset...].firstIndex(of: ByteClass.apostrophe) else { return nil }
        return decode(bytes[bytes.index(after: languageEnd)...], plusAsSpace: false, allowSlash: true)
    }

    private static func decode(_ bytes: some Collection<UInt8>, plusAsSpace: Bool, allowSlash: Bool) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            var byte = bytes[index]
            bytes.formIndex(after: &index)
            if byte == ByteClass.percent {
                guard index != bytes.endIndex, let high = ByteClass.hexValue(bytes[index]) else { return nil }
                bytes.formIndex(after: &index)
                guard index != bytes.endIndex, let low = ByteClass.hexValue(bytes[index]) else { return nil }
                bytes.formIndex(after: &index)
                byte = high &<< 4 | low
                if byte == ByteClass.slash, !allowSlash { return nil }
            } else if byte == ByteClass.plus, plusAsSpace {
                byte = ByteClass.space
            }
            guard byte != 0 else { return nil }
            decoded.append(byte)
        }
        return String(validating: decoded, as: UTF8.self)
    }
}
