/// Which addresses Pace's own HTTP client may connect to. Webhook and push URLs come from users
/// and admins, so without a policy they could aim the server at its own loopback services, the
/// private network behind it, or a cloud metadata endpoint (server-side request forgery).
/// The policy is applied to every address a name resolves to, after resolution, so a public
/// name pointing at a private address is refused too.
package enum OutboundAddressPolicy {
    /// Why an address is not public.
    package enum Scope: String, Sendable, Equatable {
        case loopback, unspecified, linkLocal, privateNetwork, sharedAddressSpace, multicast, reserved, metadata
    }

    /// The address that cloud providers serve instance credentials from.
    package static let metadataAddresses: [IPAddress] = [
        IPAddress(ipv4: 0xA9FE_A9FE), // 169.254.169.254
        IPAddress("fd00:ec2::254")!,
    ]

    private static let table: [(String, Scope)] = [
        ("127.0.0.0/8", .loopback), ("::1/128", .loopback),
        ("0.0.0.0/8", .unspecified), ("::/128", .unspecified),
        ("169.254.0.0/16", .linkLocal), ("fe80::/10", .linkLocal),
        ("10.0.0.0/8", .privateNetwork), ("172.16.0.0/12", .privateNetwork), ("192.168.0.0/16", .privateNetwork),
        ("fc00::/7", .privateNetwork),
        ("100.64.0.0/10", .sharedAddressSpace),
        ("224.0.0.0/4", .multicast), ("ff00::/8", .multicast),
        ("240.0.0.0/4", .reserved), ("192.0.0.0/24", .reserved), ("198.18.0.0/15", .reserved),
        ("192.0.2.0/24", .reserved), ("198.51.100.0/24", .reserved), ("203.0.113.0/24", .reserved),
        ("2001:db8::/32", .reserved), ("::/96", .reserved), ("100::/64", .reserved),
    ]
    private static let ranges: [(IPPrefix, Scope)] = table.map { (IPPrefix($0.0)!, $0.1) }

    /// Prefixes that embed an IPv4 address in their last 32 bits (NAT64, 6to4 is not used by
    /// Pace), judged by the embedded address.
    private static let embeddingIPv4 = [IPPrefix("64:ff9b::/96")!, IPPrefix("64:ff9b:1::/48")!]

    /// Nil for a public address, else why it is not one.
    package static func scope(of address: IPAddress) -> Scope? {
        if metadataAddresses.contains(address) { return .metadata }
        if embeddingIPv4.contains(where: { $0.contains(address) }) {
            return scope(of: IPAddress(ipv4: UInt32(truncatingIfNeeded: address.low)))
        }
        return ranges.first { $0.0.contains(address) }?.1
    }

    /// Whether the client may connect to `address`; `allowPrivate` (`PACE_ALLOW_PRIVATE_WEBHOOKS=1`)
    /// admits everything but the metadata address.
    package static func permits(_ address: IPAddress, allowPrivate: Bool) -> Bool {
        guard let scope = scope(of: address) else { return true }
        return allowPrivate && scope != .metadata
    }
}
