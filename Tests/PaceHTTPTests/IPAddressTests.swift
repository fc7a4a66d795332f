import PaceAddress
import Testing

struct IPAddressTests {
    /// Text in, canonical text out (RFC 5952); IPv4 and IPv4-mapped print as dotted quads.
    @Test(arguments: [
        ("0.0.0.0", "0.0.0.0"), ("192.0.2.1", "192.0.2.1"), ("255.255.255.255", "255.255.255.255"),
        ("::", "::"), ("::1", "::1"), ("1::", "1::"),
        ("2001:DB8:0:0:0:0:2:1", "2001:db8::2:1"), ("2001:db8::0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"), ("0:0:0:0:0:0:0:0", "::"), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"), ("fe80::1:2", "fe80::1:2"),
        ("::ffff:192.0.2.1", "192.0.2.1"), ("::FFFF:c000:0201", "192.0.2.1"), ("::192.0.2.1", "::c000:201"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"), ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ])
    func parsesAndFormats(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text), "\(text)")
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address, "canonical text parses back")
    }

    @Test(arguments: [
        "", ":", ":::", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ", " ::1",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":1::", "1::2:", "12345::", "g::1", "1:2:3:4:5:6:7:8::",
        "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "fe80::1%eth0", "[::1]", "1.2.3.4:80", "::ffff:1.2.3.256",
    ])
    func rejects(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func ipv4IsMappedSoBothSpellingsAreOneClient() throws {
        let plain = try #require(IPAddress("10.1.2.3"))
        #expect(plain == IPAddress("::ffff:10.1.2.3"))
        #expect(plain == IPAddress(ipv4: 0x0A01_0203))
        #expect(plain.ipv4 == 0x0A01_0203)
        #expect(IPAddress("::1")?.ipv4 == nil)
        #expect(MemoryLayout<IPAddress>.size == 16)
    }

    @Test func networkBytesAreBigEndian() {
        let bytes: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [7]
        #expect(bytes.withUnsafeBytes { IPAddress(networkBytes: $0) } == IPAddress("2001:db8::7"))
    }
}

struct IPPrefixTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false), ("192.0.2.7", "192.0.2.7", true),
        ("192.0.2.7", "192.0.2.8", false), ("0.0.0.0/0", "203.0.113.9", true), ("0.0.0.0/0", "::1", false),
        ("::1/128", "::1", true), ("::1", "::2", false), ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false), ("::/0", "2001:db8::1", true), ("::/0", "10.0.0.1", true),
        ("172.16.0.0/12", "172.31.255.255", true), ("172.16.0.0/12", "172.32.0.0", false),
        ("fd00::/8", "fdff::1", true), ("2001:db8::/65", "2001:db8::8000:0:0:1", false),
        ("::ffff:0:0/96", "198.51.100.1", true),
    ])
    func containment(prefix: String, address: String, expected: Bool) throws {
        let parsed = try #require(IPPrefix(prefix), "\(prefix)")
        let candidate = try #require(IPAddress(address))
        #expect(parsed.contains(candidate) == expected, "\(prefix) ∋ \(address)")
    }

    @Test(arguments: ["10.0.0.1/8", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "/8",
                      "10.0.0.0/8/8", "10.0.0.0/ 8", "localhost", "::1/1x", "2001:db8::1/32"])
    func rejects(text: String) {
        #expect(IPPrefix(text) == nil)
    }

    @Test func printsInTheFamilyItWasWrittenIn() {
        #expect(IPPrefix("10.0.0.0/8")?.description == "10.0.0.0/8")
        #expect(IPPrefix("192.0.2.1")?.description == "192.0.2.1/32")
        #expect(IPPrefix("2001:db8::/32")?.description == "2001:db8::/32")
    }
}

struct TrustedProxiesTests {
    @Test func parsesCommaAndSpaceSeparatedLists() throws {
        let list = try TrustedProxies(parsing: " 10.0.0.0/8, 192.0.2.7  ::1,,2001:db8::/48\t")
        #expect(list.prefixes.count == 4)
        #expect(list.description == "10.0.0.0/8,192.0.2.7/32,::1/128,2001:db8::/48")
        #expect(list.contains(IPAddress("10.9.9.9")!))
        #expect(list.contains(IPAddress("::1")!))
        #expect(!list.contains(IPAddress("192.0.2.8")!))
        #expect(try TrustedProxies(parsing: "").isEmpty)
        #expect(try TrustedProxies(parsing: " , ").isEmpty)
    }

    @Test(arguments: ["10.0.0.0/8,nope", "127.0.0.1;10.0.0.1", "10.0.0.1/8", "*", "[::1]"])
    func rejectsJunkNamingTheEntry(text: String) {
        #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: text) }
        do {
            _ = try TrustedProxies(parsing: text)
        } catch {
            #expect(error.description.contains("is not an IP address or CIDR prefix"))
        }
    }
}
