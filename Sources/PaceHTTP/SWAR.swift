/// Byte-class tests over eight bytes at once ("SIMD within a register"), for the long runs
/// of ordinary bytes in header values; a word that fails is rescanned byte by byte, so these
/// need only be exact when they say yes.
enum SWAR {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether every byte of `word` is SP, VCHAR or obs-text (no control byte, no DEL).
    @inline(__always)
    static func allFieldValueBytes(_ word: UInt64) -> Bool {
        !hasByteBelow(word, 0x20) && !hasByte(word, equalTo: 0x7F)
    }

    /// Whether some byte is below `limit` (at most 0x80); bytes of 0x80 and above never count.
    @inline(__always)
    private static func hasByteBelow(_ word: UInt64, _ limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highBits != 0
    }

    @inline(__always)
    private static func hasByte(_ word: UInt64, equalTo value: UInt8) -> Bool {
        hasByteBelow(word ^ (ones &* UInt64(value)), 1)
    }
}
