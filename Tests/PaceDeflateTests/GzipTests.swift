import CZlib
import PaceDeflate
import Testing

/// Gzip members as the web client's assets are served: the RFC 1952 header, a deflate body
/// that inflates back to the input, and a trailer with the input's CRC-32 and length.
struct GzipTests {
    @Test(arguments: [0, 1, 5_000, 70_000])
    func membersRoundTrip(size: Int) throws {
        let input = (0..<size).map { UInt8(truncatingIfNeeded: ($0 / 7) &* 31) }
        let member = try #require(Gzip.compress(input))
        #expect(Array(member.prefix(3)) == [0x1F, 0x8B, 0x08])
        let inflater = try #require(MessageInflater(windowBits: 15))
        let body = Array(member[10..<(member.count - 8)])
        let inflated = body.withUnsafeBytes { inflater.inflate($0, limit: 1 << 20, keepContext: false) }
        #expect(inflated == .success(input))
        let trailer = member.suffix(8).map(UInt32.init)
        let crc = input.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        #expect(trailer[0] | trailer[1] << 8 | trailer[2] << 16 | trailer[3] << 24 == UInt32(crc))
        #expect(trailer[4] | trailer[5] << 8 | trailer[6] << 16 | trailer[7] << 24 == UInt32(size))
    }
}
