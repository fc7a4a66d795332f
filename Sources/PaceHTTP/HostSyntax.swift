/// Validation of `uri-host [":" port]` (RFC 3986 section 3.2.2), as carried by the Host
/// header and by the authority of an absolute-form target.
///
/// Userinfo (`@`) is rejected because RFC 9110 section 4.2.4 forbids it in http URIs, and
/// anything with `/`, `?`, `#`, whitespace or controls cannot be a host.
enum HostSyntax {
    /// Whether `buffer[range]` is a host with an optional port; empty passes only when
    /// `allowEmpty`, as a Host header may be empty (RFC 9110 section 7.2).
    static func isValid(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, allowEmpty: Bool) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= buffer.count else { return false }
        if range.isEmpty { return allowEmpty }
        let end = range.upperBound
        guard let hostEnd = buffer[range.lowerBound] == ByteClass.openBracket
            ? ipLiteralEnd(buffer, range.lowerBound, end)
            : regNameEnd(buffer, range.lowerBound, end)
        else { return false }
        if hostEnd == end { return true }
        guard buffer[hostEnd] == ByteClass.colon else { return false }
        return isPort(buffer, hostEnd &+ 1, end)
    }

    /// The offset past `[...]`, whose inside may hold only hex digits, `:` and `.`.
    private static func ipLiteralEnd(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var index = start &+ 1
        while index < end, buffer[index] != ByteClass.closeBracket {
            let byte = buffer[index]
            guard ByteClass.hexValue(byte) != nil || byte == ByteClass.colon || byte == 0x2E else { return nil }
            index &+= 1
        }
        guard index < end, index &- start >= 3 else { return nil }
        return index &+ 1
    }

    /// The offset of the first byte past a non-empty reg-name or IPv4 address.
    private static func regNameEnd(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var index = start
        while index < end, buffer[index] != ByteClass.colon {
            let byte = buffer[index]
            if byte == ByteClass.percent {
                guard index &+ 2 < end,
                      ByteClass.hexValue(buffer[index &+ 1]) != nil,
                      ByteClass.hexValue(buffer[index &+ 2]) != nil
                else { return nil }
                index &+= 3
                continue
            }
            guard ByteClass.isRegName(byte) else { return nil }
            index &+= 1
        }
        return index > start ? index : nil
    }

    /// Whether `start..<end` is a port: at most five digits (RFC 3986 allows an empty one).
    private static func isPort(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end &- start <= 5 else { return false }
        var index = start
        while index < end {
            guard ByteClass.isDigit(buffer[index]) else { return false }
            index &+= 1
        }
        return true
    }
}
