/// A CIDR prefix (`10.0.0.0/8`, `2001:db8::/32`); a bare address is a host prefix (/32 or
/// /128). IPv4 prefixes live in the IPv4-mapped part of the 128-bit space, like `IPAddress`.
package struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The network address: every bit past `length` is zero.
    package let network: IPAddress
    /// Leading bits that must match, counted in the 128-bit space (96 + n for IPv4 /n).
    package let length: Int

    /// A prefix of `length` bits of `network`; nil when bits past the prefix are set.
    package init?(network: IPAddress, length: Int) {
        guard (0...128).contains(length) else { return nil }
        let mask = Self.mask(length)
        guard network.high & ~mask.high == 0, network.low & ~mask.low == 0 else { return nil }
        self.network = network
        self.length = length
    }

    /// Parses `ADDRESS` or `ADDRESS/LENGTH` (0...32 after a dotted quad, 0...128 after IPv6).
    /// An address with host bits set (`10.0.0.1/8`) is refused as a likely mistake.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let isIPv4Text = !parts[0].contains(":")
        let width = isIPv4Text ? 32 : 128
        var bits = width
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(digits), value <= width, digits.count == 1 || digits.first != "0" else { return nil }
            bits = value
        }
        self.init(network: address, length: isIPv4Text ? 96 + bits : bits)
    }

    package func contains(_ address: IPAddress) -> Bool {
        let mask = Self.mask(length)
        return address.high & mask.high == network.high && address.low & mask.low == network.low
    }

    package var description: String {
        network.ipv4 != nil && length >= 96 ? "\(network)/\(length - 96)" : "\(network)/\(length)"
    }

    private static func mask(_ length: Int) -> (high: UInt64, low: UInt64) {
        func word(_ bits: Int) -> UInt64 {
            bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits))
        }
        return (word(length), word(length - 64))
    }
}
