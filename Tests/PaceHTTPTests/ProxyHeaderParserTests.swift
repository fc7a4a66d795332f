import PaceAddress
import Testing
@testable import PaceHTTP

/// Drives `ProxyHeaderParser` whole, byte by byte, split at every position, and in `wanted`
/// steps, expecting one outcome; trailing bytes after the header must never be consumed.
enum ProxyHarness {
    enum Outcome: Equatable {
        case header(ProxyHeader, consumed: Int)
        case failure(ProxyHeaderError)
        case incomplete
    }

    static func run(_ input: [UInt8], chunks: [Int]) -> Outcome {
        var parser = ProxyHeaderParser(maxAddressBlock: 256)
        var offset = 0
        for size in chunks + [input.count] {
            let end = min(input.count, offset + size)
            let piece = Array(input[offset..<end])
            switch piece.withUnsafeBytes({ parser.parse($0) }) {
            case .needMore: offset = end
            case .complete(let header, let consumed): return .header(header, consumed: offset + consumed)
            case .failure(let error): return .failure(error)
            }
            if offset == input.count { break }
        }
        return .incomplete
    }

    /// Reads exactly `wanted` bytes at a time, as the transport does.
    static func byWanted(_ input: [UInt8]) -> Outcome {
        var parser = ProxyHeaderParser(maxAddressBlock: 256)
        var offset = 0
        while offset < input.count {
            let end = min(input.count, offset + parser.wanted)
            let piece = Array(input[offset..<end])
            switch piece.withUnsafeBytes({ parser.parse($0) }) {
            case .needMore: offset = end
            case .complete(let header, let consumed):
                return consumed == piece.count ? .header(header, consumed: offset + consumed) : .incomplete
            case .failure(let error): return .failure(error)
            }
        }
        return .incomplete
    }

    static func consistent(_ input: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Outcome {
        let whole = run(input, chunks: [])
        #expect(run(input, chunks: Array(repeating: 1, count: input.count)) == whole, "byte by byte",
                sourceLocation: sourceLocation)
        for split in 0...input.count {
            #expect(run(input, chunks: [split]) == whole, "split at \(split)", sourceLocation: sourceLocation)
        }
        if case .header = whole {
            #expect(byWanted(input + Array("GET".utf8)) == whole, "wanted never overshoots", sourceLocation: sourceLocation)
        }
        return whole
    }
}

struct ProxyHeaderParserTests {
    static func v2(command: UInt8 = 0x21, family: UInt8, body: [UInt8]) -> [UInt8] {
        ProxyHeaderParser.signature + [command, family, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    static let ipv4Body: [UInt8] = [192, 0, 2, 1, 10, 0, 0, 2, 0x1F, 0x90, 0x01, 0xBB]
    static let ipv6Body: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [0x05]
        + [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [0x06] + [0xC3, 0x50, 0x00, 0x50]
    static let tlv: [UInt8] = [0x04, 0x00, 0x03, 0x61, 0x62, 0x63, 0x20, 0x00, 0x01, 0x00]

    private func endpoint(_ text: String, _ port: UInt16) -> ProxyEndpoint {
        ProxyEndpoint(address: IPAddress(text)!, port: port)
    }

    @Test func v2ProxyOverTCP4() {
        let input = Self.v2(family: 0x11, body: Self.ipv4Body) + Array("GET / HTTP/1.1\r\n".utf8)
        let expected = ProxyHeader(version: .v2, source: endpoint("192.0.2.1", 8080), destination: endpoint("10.0.0.2", 443))
        #expect(ProxyHarness.consistent(input) == .header(expected, consumed: 28))
    }

    @Test func v2ProxyOverTCP6WithTLVsSkipped() {
        let input = Self.v2(family: 0x21, body: Self.ipv6Body + Self.tlv) + [0x16, 0x03, 0x01]
        let expected = ProxyHeader(version: .v2, source: endpoint("2001:db8::5", 50000),
                                   destination: endpoint("2001:db8::6", 80))
        #expect(ProxyHarness.consistent(input) == .header(expected, consumed: 16 + 36 + Self.tlv.count))
    }

    @Test func v2LocalAndUnspecKeepThePeer() {
        let local = ProxyHeader(version: .v2, source: nil, destination: nil)
        #expect(ProxyHarness.consistent(Self.v2(command: 0x20, family: 0x00, body: [])) == .header(local, consumed: 16))
        #expect(ProxyHarness.consistent(Self.v2(command: 0x20, family: 0x11, body: Self.ipv4Body))
                == .header(local, consumed: 28), "LOCAL ignores addresses")
        #expect(ProxyHarness.consistent(Self.v2(command: 0x21, family: 0x00, body: Self.tlv))
                == .header(local, consumed: 16 + Self.tlv.count))
    }

    @Test func v1Lines() {
        let tcp4 = ProxyHeader(version: .v1, source: endpoint("192.0.2.1", 56324), destination: endpoint("10.0.0.2", 443))
        #expect(ProxyHarness.consistent(Array("PROXY TCP4 192.0.2.1 10.0.0.2 56324 443\r\nGET".utf8))
                == .header(tcp4, consumed: 41))
        let tcp6 = ProxyHeader(version: .v1, source: endpoint("2001:db8::5", 1), destination: endpoint("::1", 65535))
        #expect(ProxyHarness.consistent(Array("PROXY TCP6 2001:db8::5 ::1 1 65535\r\n".utf8)) == .header(tcp6, consumed: 36))
        let unknown = ProxyHeader(version: .v1, source: nil, destination: nil)
        #expect(ProxyHarness.consistent(Array("PROXY UNKNOWN\r\n".utf8)) == .header(unknown, consumed: 15))
        #expect(ProxyHarness.consistent(Array("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n".utf8)) == .header(unknown, consumed: 35))
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n", ProxyHeaderError.badSignature),
        ("PROXZ TCP4 1.2.3.4 5.6.7.8 1 2\r\n", .badSignature),
        ("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", .badLine),
        ("PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n", .badLine),
        ("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", .badLine),
        ("PROXY TCP4 ::1 ::1 1 2\r\n", .badLine),
        ("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n", .badLine),
        ("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", .badLine),
        ("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", .badLine),
        ("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", .badLine),
        ("PROXY TCP4 1.2.3.4\r5.6.7.8 1 2\r\n", .badLine),
    ])
    func badV1Lines(text: String, error: ProxyHeaderError) {
        #expect(ProxyHarness.consistent(Array(text.utf8)) == .failure(error))
    }

    @Test func v1LineLongerThanTheLimitIsRefused() {
        let line = Array(("PROXY UNKNOWN " + String(repeating: "x", count: 120) + "\r\n").utf8)
        #expect(ProxyHarness.consistent(line) == .failure(.tooLong))
    }

    @Test func badV2Headers() {
        var wrongSignature = Self.v2(family: 0x11, body: Self.ipv4Body)
        wrongSignature[7] = 0x52
        #expect(ProxyHarness.consistent(wrongSignature) == .failure(.badSignature))
        #expect(ProxyHarness.consistent(Self.v2(command: 0x11, family: 0x11, body: Self.ipv4Body)) == .failure(.badVersion))
        #expect(ProxyHarness.consistent(Self.v2(command: 0x22, family: 0x11, body: Self.ipv4Body)) == .failure(.badCommand))
        #expect(ProxyHarness.consistent(Self.v2(family: 0x12, body: Self.ipv4Body)) == .failure(.unsupportedTransport),
                "UDP over IPv4")
        #expect(ProxyHarness.consistent(Self.v2(family: 0x22, body: Self.ipv6Body)) == .failure(.unsupportedTransport))
        #expect(ProxyHarness.consistent(Self.v2(family: 0x31, body: Array(repeating: 0, count: 216)))
                == .failure(.unsupportedFamily), "unix stream")
        #expect(ProxyHarness.consistent(Self.v2(family: 0x41, body: Self.ipv4Body)) == .failure(.unsupportedFamily))
        #expect(ProxyHarness.consistent(Self.v2(family: 0x21, body: Self.ipv4Body)) == .failure(.truncatedAddresses))
        let oversize = ProxyHeaderParser.signature + [0x21, 0x11, 0xFF, 0xFF]
        #expect(ProxyHarness.consistent(oversize) == .failure(.tooLong), "length checked before reading the block")
    }

    @Test func truncatedInputNeedsMore() {
        let full = Self.v2(family: 0x11, body: Self.ipv4Body)
        for cut in 0..<full.count {
            #expect(ProxyHarness.run(Array(full[0..<cut]), chunks: []) == .incomplete, "cut at \(cut)")
        }
        #expect(ProxyHarness.run(Array("PROXY TCP4 1.2.3.4".utf8), chunks: []) == .incomplete)
    }
}
