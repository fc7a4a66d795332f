/// An IPv4 or IPv6 address as a 16-byte value (two words, no allocation), for peers, rate-limit
/// keys and proxy lists.
///
/// IPv4 addresses are held IPv4-mapped (`::ffff:a.b.c.d`, RFC 4291 section 2.5.5.2), so one
/// client reaching a dual-stack proxy either way is one key, and a prefix like `10.0.0.0/8`
/// is a prefix of the same 128-bit space. A mapped address prints as its dotted quad.
package struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The first 64 bits, network order read as a big-endian number.
    package let high: UInt64
    /// The last 64 bits.
    package let low: UInt64

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The IPv4 address `value` (host byte order), IPv4-mapped.
    package init(ipv4 value: UInt32) {
        high = 0
        low = 0xFFFF_0000_0000 | UInt64(value)
    }

    /// `::`, the address of nobody.
    package static let unspecified = IPAddress(high: 0, low: 0)

    /// The address from 16 bytes in network order (as in a `sockaddr_in6` or a PROXY header).
    package init(networkBytes bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= 16, "an IPv6 address is 16 bytes")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        self.init(high: high, low: low)
    }

    /// The IPv4 address in host byte order when this is an IPv4(-mapped) address.
    package var ipv4: UInt32? {
        high == 0 && low >> 32 == 0xFFFF ? UInt32(truncatingIfNeeded: low) : nil
    }

    /// Group `index` (0...7) of the eight 16-bit groups.
    package func group(_ index: Int) -> UInt16 {
        let word = index < 4 ? high : low
        return UInt16(truncatingIfNeeded: word >> (UInt64(3 - index % 4) * 16))
    }

    /// Parses an IPv4 dotted quad or an IPv6 address in RFC 4291 text form.
    package init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ IPAddress.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses `bytes` as a dotted quad, else as IPv6 text; nil for anything else (no zone
    /// ids, brackets, ports or surrounding space).
    package static func parse(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        if let value = parseIPv4(bytes) { return IPAddress(ipv4: value) }
        return parseIPv6(bytes)
    }

    /// The canonical text: a dotted quad for IPv4(-mapped) addresses, else RFC 5952 form
    /// (lower case, no leading zeros, the longest run of two or more zero groups as `::`,
    /// the first such run on a tie).
    package var description: String {
        if let value = ipv4 {
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        }
        let (start, length) = longestZeroRun()
        var text = ""
        var index = 0
        while index < 8 {
            if index == start && length >= 2 {
                text += index == 0 ? "::" : ":"
                index += length
                continue
            }
            text += String(group(index), radix: 16)
            if index < 7 { text += ":" }
            index += 1
        }
        return text
    }

    private func longestZeroRun() -> (start: Int, length: Int) {
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard group(index) == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8 && group(index) == 0 { index += 1 }
            if index - start > best.length { best = (start, index - start) }
        }
        return best
    }
}
