import PaceAddress

/// One hop named in `Forwarded: for=` or `X-Forwarded-For`.
package enum ForwardedNode: Equatable, Sendable {
    case address(IPAddress)
    /// `unknown` (RFC 7239 section 6.2): the proxy did not know the hop.
    case unknown
    /// An obfuscated identifier (`_hidden`, RFC 7239 section 6.3).
    case obfuscated
    /// Not a node at all: bad syntax, or an element without `for`.
    case invalid

    /// Parses a node (RFC 7239 section 6): a dotted quad or a bracketed IPv6 address, either
    /// with an optional `:port`, `unknown`, or `_obfuscated`. `bareIPv6` also accepts an
    /// unbracketed IPv6 address, as `X-Forwarded-For` writers send them.
    package static func parse(_ text: UnsafeRawBufferPointer, bareIPv6: Bool) -> ForwardedNode {
        guard let first = text.first else { return .invalid }
        if first == ByteClass.openBracket {
            guard let close = text.firstIndex(of: ByteClass.closeBracket),
                  let address = IPAddress.parseIPv6(UnsafeRawBufferPointer(rebasing: text[1..<close])),
                  isPortSuffix(UnsafeRawBufferPointer(rebasing: text[(close + 1)...])) else { return .invalid }
            return .address(address)
        }
        if bareIPv6, let address = IPAddress.parseIPv6(text) { return .address(address) }
        let nameEnd = text.firstIndex(of: ByteClass.colon) ?? text.count
        guard isPortSuffix(UnsafeRawBufferPointer(rebasing: text[nameEnd...])) else { return .invalid }
        let name = UnsafeRawBufferPointer(rebasing: text[..<nameEnd])
        if HeaderLookup.equalsIgnoringCase(name, 0..<name.count, "unknown") { return .unknown }
        if first == UInt8(ascii: "_") { return isObfuscatedIdentifier(name) ? .obfuscated : .invalid }
        guard let value = IPAddress.parseIPv4(name) else { return .invalid }
        return .address(IPAddress(ipv4: value))
    }

    /// Empty, or `:` and a port of one to five digits or an obfuscated port.
    private static func isPortSuffix(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let first = text.first else { return true }
        guard first == ByteClass.colon, text.count >= 2 else { return false }
        let port = UnsafeRawBufferPointer(rebasing: text[1...])
        if port[0] == UInt8(ascii: "_") { return isObfuscatedIdentifier(port) }
        return port.count <= 5 && port.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `_` then one or more of ALPHA, DIGIT, `.`, `_`, `-`.
    private static func isObfuscatedIdentifier(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= 2, text[0] == UInt8(ascii: "_") else { return false }
        return text.dropFirst().allSatisfy { byte in
            let lower = byte | 0x20
            return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == ByteClass.hyphen
        }
    }
}
