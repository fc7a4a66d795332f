import Testing
import PaceDeflate

/// A decompression bomb stops at the limit: the inflater fails instead of growing, and a
/// message exactly at the limit still inflates.
struct InflateBoundTests {
    /// 64 MiB of zeros in about 64 KiB of deflate.
    static let bomb: [UInt8] = {
        let deflater = MessageDeflater(maxWindowBits: 15)!
        return [UInt8](repeating: 0, count: 64 << 20).withUnsafeBytes { deflater.compress($0)! }
    }()

    @Test func bombStopsAtTheLimit() throws {
        #expect(Self.bomb.count < 100_000)
        let inflater = try #require(MessageInflater(windowBits: 15))
        let result = Self.bomb.withUnsafeBytes { inflater.inflate($0, limit: 1 << 20, keepContext: true) }
        #expect(result == .failure(.tooLarge))
    }

    @Test(arguments: [0, 1, 16_383, 16_384, 16_385, 100_000])
    func exactlyAtTheLimitInflates(size: Int) throws {
        let deflater = try #require(MessageDeflater(maxWindowBits: 15))
        let inflater = try #require(MessageInflater(windowBits: 15))
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let compressed = try #require(message.withUnsafeBytes { deflater.compress($0) })
        let result = compressed.withUnsafeBytes { inflater.inflate($0, limit: size, keepContext: false) }
        guard case .success(let inflated) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(inflated == message)
        #expect(inflated.capacity <= max(size, 256) + 64)
        if size > 0 {
            let over = compressed.withUnsafeBytes { inflater.inflate($0, limit: size - 1, keepContext: false) }
            #expect(over == .failure(.tooLarge))
        }
    }
}
