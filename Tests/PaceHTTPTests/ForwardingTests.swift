import PaceAddress
import Testing
@testable import PaceHTTP

struct ForwardedNodeTests {
    @Test(arguments: [
        ("192.0.2.60", ForwardedNode.address(IPAddress("192.0.2.60")!)),
        ("192.0.2.60:4711", .address(IPAddress("192.0.2.60")!)),
        ("[2001:db8:cafe::17]", .address(IPAddress("2001:db8:cafe::17")!)),
        ("[2001:db8:cafe::17]:4711", .address(IPAddress("2001:db8:cafe::17")!)),
        ("[::ffff:10.0.0.1]", .address(IPAddress("10.0.0.1")!)),
        ("unknown", .unknown), ("UNKNOWN:80", .unknown), ("_hidden", .obfuscated), ("_SEVKISEK", .obfuscated),
        ("10.0.0.1:_port", .address(IPAddress("10.0.0.1")!)),
        ("2001:db8::1", .invalid), ("[1.2.3.4]", .invalid), ("[::1", .invalid), ("[::1]x", .invalid),
        ("10.0.0.1:", .invalid), ("10.0.0.1:123456", .invalid), ("_", .invalid), ("_a b", .invalid),
        ("example.com", .invalid), ("", .invalid), ("10.0.0.1:8a", .invalid),
    ])
    func forwardedNodes(text: String, expected: ForwardedNode) {
        #expect(Array(text.utf8).withUnsafeBytes { ForwardedNode.parse($0, bareIPv6: false) } == expected)
    }

    @Test func xForwardedForAcceptsBareIPv6() {
        #expect(Array("2001:db8::1".utf8).withUnsafeBytes { ForwardedNode.parse($0, bareIPv6: true) }
                == .address(IPAddress("2001:db8::1")!))
    }
}

struct ForwardingHeaderTests {
    private func forwarded(_ value: String) -> [ForwardedNode] {
        var nodes: [ForwardedNode] = []
        Array(value.utf8).withUnsafeBytes { buffer in
            ForwardingHeaders.forEachForwarded(buffer, 0..<buffer.count) { nodes.append($0) }
        }
        return nodes
    }

    private func xForwardedFor(_ value: String) -> [ForwardedNode] {
        var nodes: [ForwardedNode] = []
        Array(value.utf8).withUnsafeBytes { buffer in
            ForwardingHeaders.forEachXForwardedFor(buffer, 0..<buffer.count) { nodes.append($0) }
        }
        return nodes
    }

    private let a = ForwardedNode.address(IPAddress("192.0.2.43")!)
    private let b = ForwardedNode.address(IPAddress("198.51.100.17")!)
    private let v6 = ForwardedNode.address(IPAddress("2001:db8:cafe::17")!)

    @Test func forwardedElements() {
        #expect(forwarded("for=192.0.2.43") == [a])
        #expect(forwarded("For=\"[2001:db8:cafe::17]:4711\"") == [v6])
        #expect(forwarded("for=192.0.2.43, for=198.51.100.17;by=203.0.113.60;proto=http;host=example.com") == [a, b])
        #expect(forwarded("proto=https;for=192.0.2.43 ,  for=\"_gazonk\"") == [a, .obfuscated])
        #expect(forwarded("for=unknown, for=192.0.2.43") == [.unknown, a])
        #expect(forwarded("by=\"a,b;c\";for=192.0.2.43,for=198.51.100.17") == [a, b], "quoted commas")
        #expect(forwarded(",for=192.0.2.43,,") == [a], "empty elements are skipped")
    }

    @Test func badForwardedElementsAreInvalidHops() {
        #expect(forwarded("proto=http") == [.invalid], "no for")
        #expect(forwarded("for=192.0.2.43;for=198.51.100.17") == [.invalid], "for twice")
        #expect(forwarded("for 192.0.2.43, for=198.51.100.17") == [.invalid, b])
        #expect(forwarded("for=\"192.0.2.43\\\"\", for=198.51.100.17") == [.invalid, b], "escaped for")
        #expect(forwarded("for=192.0.2.43;x=\"unterminated, for=198.51.100.17") == [.invalid])
        #expect(forwarded("for=2001:db8:cafe::17") == [.invalid], "IPv6 needs brackets and quotes")
        #expect(forwarded("for=192.0.2.43 x, for=198.51.100.17") == [.invalid, b])
    }

    @Test func xForwardedForElements() {
        #expect(xForwardedFor("192.0.2.43, 198.51.100.17") == [a, b])
        #expect(xForwardedFor(" 192.0.2.43 ,,2001:db8:cafe::17 , unknown") == [a, v6, .unknown])
        #expect(xForwardedFor("[2001:db8:cafe::17]:443,192.0.2.43:1234") == [v6, a])
        #expect(xForwardedFor("evil.example, 192.0.2.43") == [.invalid, a])
    }
}

struct ClientAddressTests {
    private static let trusted = try! TrustedProxies(parsing: "10.0.0.0/8, ::1")
    private static let proxy = IPAddress("10.0.0.2")!

    private func resolve(peer: IPAddress = ClientAddressTests.proxy, _ head: String) -> ClientAddress {
        var parser = RequestHeadParser()
        var headers: [HTTPHeaderField] = []
        return Array(("GET / HTTP/1.1\r\nHost: x\r\n" + head + "\r\n").utf8).withUnsafeBytes { buffer in
            guard case .complete = parser.parse(buffer, into: &headers) else { return ClientAddress(address: .unspecified,
                                                                                                     isForwarded: false) }
            return ClientAddress.resolve(peer: peer, trusted: Self.trusted, headers: headers, buffer: buffer)
        }
    }

    private func forwarded(_ text: String) -> ClientAddress { ClientAddress(address: IPAddress(text)!, isForwarded: true) }
    private func direct(_ text: String) -> ClientAddress { ClientAddress(address: IPAddress(text)!, isForwarded: false) }

    @Test func walksFromTheRightWhileHopsAreTrusted() {
        #expect(resolve("X-Forwarded-For: 203.0.113.5\r\n") == forwarded("203.0.113.5"))
        #expect(resolve("X-Forwarded-For: 203.0.113.5, 10.1.1.1\r\n") == forwarded("203.0.113.5"))
        #expect(resolve("X-Forwarded-For: 198.51.100.9, 203.0.113.5, 10.1.1.1\r\n") == forwarded("203.0.113.5"),
                "a spoofed entry left of the first untrusted hop is ignored")
        #expect(resolve("X-Forwarded-For: 10.3.3.3, 10.1.1.1\r\n") == forwarded("10.3.3.3"), "all trusted: leftmost")
        #expect(resolve("X-Forwarded-For: 2001:db8::5\r\n") == forwarded("2001:db8::5"))
    }

    @Test func severalLinesAreOneList() {
        #expect(resolve("X-Forwarded-For: 198.51.100.9\r\nX-Forwarded-For: 10.1.1.1\r\n") == forwarded("198.51.100.9"))
        #expect(resolve("X-Forwarded-For: 10.1.1.1\r\nx-forwarded-for: 198.51.100.9\r\n") == forwarded("198.51.100.9"))
    }

    @Test func opaqueHopsStopAtTheLastTrustedHop() {
        #expect(resolve("X-Forwarded-For: 203.0.113.5, unknown\r\n") == direct("10.0.0.2"))
        #expect(resolve("X-Forwarded-For: 203.0.113.5, garbage, 10.1.1.1\r\n") == forwarded("10.1.1.1"))
        #expect(resolve("Forwarded: for=203.0.113.5, for=\"_hidden\", for=10.1.1.1, for=10.2.2.2\r\n")
                == forwarded("10.1.1.1"))
        #expect(resolve("Forwarded: for=unknown, for=203.0.113.5\r\n") == forwarded("203.0.113.5"))
    }

    @Test func forwardedWinsOverXForwardedFor() {
        #expect(resolve("X-Forwarded-For: 198.51.100.9\r\nForwarded: for=\"[2001:db8::7]:1\"\r\n")
                == forwarded("2001:db8::7"))
    }

    @Test func headersFromAnUntrustedPeerAreIgnored() {
        let stranger = IPAddress("203.0.113.77")!
        #expect(resolve(peer: stranger, "X-Forwarded-For: 198.51.100.9\r\n") == direct("203.0.113.77"))
        #expect(resolve(peer: stranger, "Forwarded: for=198.51.100.9\r\n") == direct("203.0.113.77"))
        #expect(resolve("Accept: */*\r\n") == direct("10.0.0.2"), "trusted peer without headers")
    }
}

struct ForwardingWalkTests {
    /// The definition, walked right to left as documented, to check the one-pass version.
    private func reference(peer: IPAddress, trusted: TrustedProxies, _ hops: [ForwardedNode]) -> ClientAddress {
        guard trusted.contains(peer) else { return ClientAddress(address: peer, isForwarded: false) }
        var current = ClientAddress(address: peer, isForwarded: false)
        for hop in hops.reversed() {
            guard case .address(let address) = hop else { return current }
            current = ClientAddress(address: address, isForwarded: true)
            if !trusted.contains(address) { return current }
        }
        return current
    }

    @Test func onePassAgreesWithTheRightToLeftDefinitionOnEveryShortChain() throws {
        let trusted = try TrustedProxies(parsing: "10.0.0.0/8")
        let pool: [ForwardedNode] = [.address(IPAddress("10.0.0.1")!), .address(IPAddress("10.0.0.2")!),
                                     .address(IPAddress("203.0.113.1")!), .address(IPAddress("203.0.113.2")!),
                                     .unknown, .invalid]
        let peer = IPAddress("10.0.0.9")!
        var chains: [[ForwardedNode]] = [[]]
        for _ in 0..<4 { chains += chains.filter { $0.count == chains.last!.count }.flatMap { chain in pool.map { chain + [$0] } } }
        #expect(chains.count == 1 + 6 + 36 + 216 + 1296)
        for chain in chains {
            var walk = ForwardingWalk(peer: peer, trusted: trusted)
            for hop in chain { walk.visit(hop) }
            #expect(walk.client == reference(peer: peer, trusted: trusted, chain), "\(chain)")
        }
    }
}
