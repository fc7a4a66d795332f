/// Writes Swift strings as JSON string literals.
///
/// Escapes only what JSON requires (`"`, `\` and control characters) plus U+2028 and U+2029,
/// which JavaScript engines before ES2019 treat as line breaks inside string literals. Everything
/// else is copied as UTF-8, in bulk runs between the bytes that need escaping.
enum JSONEscaping {
    /// The lead byte shared by U+2028 and U+2029 (E2 80 A8 and E2 80 A9).
    private static let separatorLead: UInt8 = 0xE2

    static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(ASCII.quote)
        var text = text
        text.withUTF8 { appendEscaped($0, to: &output) }
        output.append(ASCII.quote)
    }

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        var index = 0
        let end = utf8.count
        while true {
            index = PlainRunScanner.runEnd(in: utf8, from: index)
            guard index < end else { break }
            let byte = utf8[index]
            let escapeLength = escapedLength(of: byte, at: index, in: utf8)
            guard escapeLength > 0 else {
                index += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            appendEscape(for: byte, separator: escapeLength == 3 ? utf8[index + 2] : 0, to: &output)
            index += escapeLength
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<end]))
    }

    /// How many input bytes starting at `index` form one character that must be escaped; 0 if none.
    @inline(__always)
    private static func escapedLength(of byte: UInt8, at index: Int, in utf8: UnsafeBufferPointer<UInt8>) -> Int {
        if byte < ASCII.space || byte == ASCII.quote || byte == ASCII.backslash { return 1 }
        guard byte == separatorLead, utf8.count - index >= 3, utf8[index + 1] == 0x80 else { return 0 }
        let last = utf8[index + 2]
        return last == 0xA8 || last == 0xA9 ? 3 : 0
    }

    /// Appends the escape for an ASCII byte, or for U+2028/U+2029 when `separator` is their last byte.
    private static func appendEscape(for byte: UInt8, separator: UInt8, to output: inout [UInt8]) {
        output.append(ASCII.backslash)
        switch byte {
        case ASCII.quote, ASCII.backslash: output.append(byte)
        case ASCII.newline: output.append(ASCII.lowerN)
        case ASCII.carriageReturn: output.append(ASCII.lowerR)
        case ASCII.tab: output.append(ASCII.lowerT)
        case 0x08: output.append(ASCII.lowerB)
        case 0x0C: output.append(ASCII.lowerF)
        case separatorLead: appendUnicodeEscape(separator == 0xA8 ? 0x2028 : 0x2029, to: &output)
        default: appendUnicodeEscape(UInt16(byte), to: &output)
        }
    }

    /// Appends `u` and four lowercase hex digits; the backslash is already written.
    private static func appendUnicodeEscape(_ unit: UInt16, to output: inout [UInt8]) {
        output.append(ASCII.lowerU)
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hexDigit(UInt8(truncatingIfNeeded: unit >> UInt16(shift)) & 0x0F))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? ASCII.zero &+ nibble : ASCII.lowerA &+ (nibble &- 10)
    }
}
