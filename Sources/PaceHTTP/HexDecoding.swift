/// Hexadecimal text to bytes, digit by digit through `ByteClass.hexValue`, so every hex
/// parser in Pace (chunk sizes, percent escapes, key files) reads digits the same way.
package enum HexDecoding {
    /// The bytes `text` spells, two digits each in either case, or nil for an odd length or a
    /// byte that is not a hex digit.
    package static func bytes(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index != text.endIndex {
            guard let high = ByteClass.hexValue(text[index]) else { return nil }
            text.formIndex(after: &index)
            guard let low = ByteClass.hexValue(text[index]) else { return nil }
            text.formIndex(after: &index)
            out.append(high &<< 4 | low)
        }
        return out
    }
}
