/// Reading the comma-separated token lists of handshake header values (RFC 9110 section 5.6.1).
enum HeaderTokens {
    /// `value` without the spaces and tabs around it.
    static func trimmed(_ value: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer.SubSequence {
        var start = value.startIndex
        var end = value.endIndex
        while start < end, isWhitespace(value[start]) { start &+= 1 }
        while end > start, isWhitespace(value[end &- 1]) { end &-= 1 }
        return value[start..<end]
    }

    /// Whether the list in `value` has an element equal to `token` (lowercase ASCII),
    /// ignoring case and the whitespace around elements.
    static func list(_ value: UnsafeRawBufferPointer, contains token: StaticString) -> Bool {
        var elementStart = value.startIndex
        for index in value.indices where value[index] == UInt8(ascii: ",") {
            if element(value, elementStart..<index, equals: token) { return true }
            elementStart = index &+ 1
        }
        return element(value, elementStart..<value.endIndex, equals: token)
    }

    private static func element(_ value: UnsafeRawBufferPointer, _ range: Range<Int>, equals token: StaticString) -> Bool {
        let element = trimmed(UnsafeRawBufferPointer(rebasing: value[range]))
        guard element.count == token.utf8CodeUnitCount else { return false }
        return token.withUTF8Buffer { wanted in
            zip(element, wanted).allSatisfy { lowercased($0) == $1 }
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
