/// `Content-Disposition` for downloads (RFC 6266): an ASCII `filename` for old clients and the
/// exact name in `filename*` (RFC 8187 percent-encoded UTF-8).
package enum ContentDisposition {
    package static func value(attachment: Bool, filename: String) -> String {
        (attachment ? "attachment" : "inline") + "; filename=\"" + asciiFallback(filename)
            + "\"; filename*=UTF-8''" + percentEncoded(filename)
    }

    /// Printable ASCII except the quote and backslash; everything else becomes `_`.
    static func asciiFallback(_ name: String) -> String {
        String(decoding: name.unicodeScalars.map { scalar -> UInt8 in
            guard scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F,
                  scalar != "\"", scalar != "\\" else { return UInt8(ascii: "_") }
            return UInt8(scalar.value)
        }, as: UTF8.self)
    }

    /// RFC 8187 `value-chars`: `attr-char` as is, every other byte as `%XX`.
    static func percentEncoded(_ name: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in name.utf8 {
            if ByteClass.isAttributeChar(byte) {
                out.append(byte)
            } else {
                out.append(contentsOf: [ByteClass.percent, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
