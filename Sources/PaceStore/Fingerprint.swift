/// 64-bit FNV-1a, used to notice that an applied migration file was edited afterwards.
///
/// This is not a security feature: FNV-1a is trivially forgeable. It only detects accidental
/// edits, which is all the migration check needs, and it keeps the store free of a crypto
/// dependency.
package enum Fingerprint {
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    package static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// The fingerprint of `text`'s UTF-8 bytes as 16 lowercase hex digits.
    package static func hex(of text: String) -> String {
        let hash = fnv1a64(text.utf8)
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 {
            out[index] = digits[Int((hash >> UInt64(60 - 4 * index)) & 0xF)]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
