import PaceAddress

/// The text of a PROXY v1 line after `PROXY ` and before CRLF: `TCP4 src dst sport dport`,
/// `TCP6 …`, or `UNKNOWN` followed by anything.
enum ProxyLineV1 {
    static func parse(_ line: ArraySlice<UInt8>) -> ProxyHeader? {
        let fields = line.split(separator: ByteClass.space, omittingEmptySubsequences: false)
        guard let protocolName = fields.first else { return nil }
        if protocolName.elementsEqual("UNKNOWN".utf8) {
            return ProxyHeader(version: .v1, source: nil, destination: nil)
        }
        let isIPv4 = protocolName.elementsEqual("TCP4".utf8)
        guard isIPv4 || protocolName.elementsEqual("TCP6".utf8), fields.count == 5,
              let source = address(fields[1], ipv4: isIPv4), let destination = address(fields[2], ipv4: isIPv4),
              let sourcePort = port(fields[3]), let destinationPort = port(fields[4]) else { return nil }
        return ProxyHeader(version: .v1, source: ProxyEndpoint(address: source, port: sourcePort),
                           destination: ProxyEndpoint(address: destination, port: destinationPort))
    }

    private static func address(_ text: ArraySlice<UInt8>, ipv4: Bool) -> IPAddress? {
        text.withUnsafeBytes { bytes in
            ipv4 ? IPAddress.parseIPv4(bytes).map { IPAddress(ipv4: $0) } : IPAddress.parseIPv6(bytes)
        }
    }

    /// 0...65535 in decimal, without leading zeros.
    private static func port(_ text: ArraySlice<UInt8>) -> UInt16? {
        guard let first = text.first, text.count <= 5, text.count == 1 || first != ByteClass.zero,
              text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt16(exactly: text.reduce(0) { $0 * 10 + Int($1 - 0x30) })
    }
}
