import PaceAddress

/// What a PROXY protocol header (HAProxy's PROXY protocol, versions 1 and 2) says about the
/// connection a proxy accepted and forwarded to us.
package struct ProxyHeader: Equatable, Sendable {
    package enum Version: Equatable, Sendable { case v1, v2 }

    package let version: Version
    /// The proxied connection's endpoints; nil for a v2 `LOCAL` command (the proxy's own
    /// health check), v2 `UNSPEC` or v1 `UNKNOWN`: the TCP peer then stays the client.
    package let source: ProxyEndpoint?
    package let destination: ProxyEndpoint?

    package init(version: Version, source: ProxyEndpoint?, destination: ProxyEndpoint?) {
        self.version = version
        self.source = source
        self.destination = destination
    }
}

/// An address and port from a PROXY header.
package struct ProxyEndpoint: Equatable, Sendable, CustomStringConvertible {
    package let address: IPAddress
    package let port: UInt16

    package init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    package var description: String { address.ipv4 != nil ? "\(address):\(port)" : "[\(address)]:\(port)" }
}

/// Why a PROXY header was refused; the connection is closed.
package enum ProxyHeaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither the v2 signature nor `PROXY `.
    case badSignature
    /// v2 with a version nibble other than 2.
    case badVersion
    /// v2 with a command other than LOCAL or PROXY.
    case badCommand
    /// v2 PROXY over a family other than IPv4, IPv6 or UNSPEC (AF_UNIX, or unassigned).
    case unsupportedFamily
    /// v2 PROXY over a transport other than a stream (UDP).
    case unsupportedTransport
    /// Longer than the limit (v2 address block) or than 107 bytes (v1 line).
    case tooLong
    /// A v2 address block shorter than its family's addresses.
    case truncatedAddresses
    /// A v1 line that does not follow the grammar.
    case badLine

    package var description: String {
        switch self {
        case .badSignature: "not a PROXY protocol header"
        case .badVersion: "unsupported PROXY protocol version"
        case .badCommand: "unknown PROXY v2 command"
        case .unsupportedFamily: "unsupported PROXY address family"
        case .unsupportedTransport: "unsupported PROXY transport (not a stream)"
        case .tooLong: "PROXY header too long"
        case .truncatedAddresses: "PROXY v2 address block too short"
        case .badLine: "malformed PROXY v1 line"
        }
    }
}
