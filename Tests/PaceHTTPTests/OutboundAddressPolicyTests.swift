import PaceAddress
import Testing

/// The SSRF guard of Pace's HTTP client: which resolved addresses it may connect to.
struct OutboundAddressPolicyTests {
    static let refused: [(String, OutboundAddressPolicy.Scope)] = [
        ("127.0.0.1", .loopback), ("127.255.0.9", .loopback), ("::1", .loopback),
        ("0.0.0.0", .unspecified), ("::", .unspecified),
        ("169.254.1.1", .linkLocal), ("fe80::1", .linkLocal),
        ("169.254.169.254", .metadata), ("fd00:ec2::254", .metadata),
        ("10.1.2.3", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork), ("fd12:3456::1", .privateNetwork),
        ("100.64.0.1", .sharedAddressSpace), ("224.0.0.1", .multicast), ("ff02::1", .multicast),
        ("255.255.255.255", .reserved), ("192.0.2.10", .reserved),
        ("::ffff:127.0.0.1", .loopback), ("64:ff9b::a9fe:a9fe", .metadata), ("64:ff9b::7f00:1", .loopback),
    ]

    static let permitted = ["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "64:ff9b::808:808"]

    @Test(arguments: refused)
    func refusesNonPublic(_ text: String, _ scope: OutboundAddressPolicy.Scope) throws {
        let address = try #require(IPAddress(text))
        #expect(OutboundAddressPolicy.scope(of: address) == scope)
        #expect(!OutboundAddressPolicy.permits(address, allowPrivate: false))
        #expect(OutboundAddressPolicy.permits(address, allowPrivate: true) == (scope != .metadata))
    }

    @Test(arguments: permitted)
    func permitsPublic(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(OutboundAddressPolicy.scope(of: address) == nil)
        #expect(OutboundAddressPolicy.permits(address, allowPrivate: false))
    }
}
