/// Finds the end of a run of bytes that both the parser and the writer copy verbatim inside a
/// string: printable ASCII other than `"` and `\`. Eight bytes are tested per step, since such
/// runs make up nearly all of a chat message's text.
enum PlainRunScanner {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first byte at or after `start` that is not plain, or `buffer.count`.
    static func runEnd(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            while count - index >= 8, !containsSpecialByte(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
            }
        }
        while index < count, isPlain(buffer[index]) {
            index += 1
        }
        return index
    }

    @inline(__always)
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= ASCII.space && byte < 0x80 && byte != ASCII.quote && byte != ASCII.backslash
    }

    /// True when any byte of `word` is a control character, `"`, `\` or non-ASCII. Uses the
    /// classic "has zero byte" and "has byte less than n" bit tricks, exact as yes/no answers.
    @inline(__always)
    private static func containsSpecialByte(_ word: UInt64) -> Bool {
        let control = (word &- ones &* UInt64(ASCII.space)) & ~word
        let quoteBits = word ^ (ones &* UInt64(ASCII.quote))
        let quote = (quoteBits &- ones) & ~quoteBits
        let backslashBits = word ^ (ones &* UInt64(ASCII.backslash))
        let backslash = (backslashBits &- ones) & ~backslashBits
        return (control | quote | backslash | word) & highBits != 0
    }
}
