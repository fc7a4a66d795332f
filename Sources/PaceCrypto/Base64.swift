/// Base64 (RFC 4648) in one alphabet and one padding style.
///
/// Decoding is strict: every byte string has exactly one accepted text, so tokens and
/// signatures cannot be altered into equivalent spellings. Whitespace, characters from the
/// other alphabet, misplaced or missing padding and non-zero unused trailing bits are rejected.
package struct Base64: Sendable {
    package enum Alphabet: Sendable {
        /// `+` and `/` (RFC 4648 §4).
        case standard
        /// `-` and `_` (RFC 4648 §5).
        case url
    }

    package let alphabet: Alphabet
    /// Whether encoded text ends in `=` up to a multiple of four characters, and decoding
    /// insists on it; when false, decoding rejects any `=`.
    package let padded: Bool

    package init(alphabet: Alphabet, padded: Bool) {
        self.alphabet = alphabet
        self.padded = padded
    }

    /// Standard alphabet with padding, as in MIME and the WebSocket handshake.
    package static let standard = Base64(alphabet: .standard, padded: true)
    /// URL alphabet without padding, as JWTs use it (RFC 7515 §2).
    package static let url = Base64(alphabet: .url, padded: false)

    package func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let symbols = Base64Tables.symbols(alphabet)
        let whole = bytes.count / 3 * 3
        let tail = bytes.count - whole
        let length = whole / 3 * 4 + (tail == 0 ? 0 : (padded ? 4 : tail + 1))
        return String(unsafeUninitializedCapacity: length) { output in
            func emit(_ group: UInt32, _ shift: UInt32, at position: Int) {
                output[position] = symbols[Int(group >> shift & 0x3F)]
            }
            var out = 0
            var index = 0
            while index < whole {
                let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
                    | UInt32(bytes[index + 2])
                emit(group, 18, at: out)
                emit(group, 12, at: out + 1)
                emit(group, 6, at: out + 2)
                emit(group, 0, at: out + 3)
                out += 4
                index += 3
            }
            if tail > 0 {
                let second = tail == 2 ? UInt32(bytes[index + 1]) : 0
                let group = UInt32(bytes[index]) << 16 | second << 8
                emit(group, 18, at: out)
                emit(group, 12, at: out + 1)
                if tail == 2 { emit(group, 6, at: out + 2) }
                out += tail + 1
                while out < length {
                    output[out] = UInt8(ascii: "=")
                    out += 1
                }
            }
            return length
        }
    }

    package func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    package func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = text.utf8
        if let decoded = utf8.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0)) }) {
            return decoded
        }
        return decode(Array(utf8))
    }

    package func decode(_ bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBytes { decode($0) }
    }

    package func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let count = significantCount(text) else { return nil }
        let values = Base64Tables.values(alphabet)
        let whole = count / 4 * 4
        let tail = count - whole
        let length = whole / 4 * 3 + (tail == 0 ? 0 : tail - 1)
        var valid = true
        let decoded = [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
            var out = 0
            var index = 0
            while index < count {
                var group: UInt32 = 0
                var invalid: UInt8 = 0
                let end = min(index + 4, count)
                for position in index..<end {
                    let value = values[Int(text[position])]
                    invalid |= value
                    group = group << 6 | UInt32(value & 0x3F)
                }
                let symbols = end - index
                group <<= UInt32(6 * (4 - symbols))
                // Table entries for non-alphabet bytes have the high bit set.
                guard invalid & 0x80 == 0, group & Self.unusedBits(symbols) == 0 else {
                    valid = false
                    return
                }
                output[out] = UInt8(truncatingIfNeeded: group >> 16)
                if symbols > 2 { output[out + 1] = UInt8(truncatingIfNeeded: group >> 8) }
                if symbols > 3 { output[out + 2] = UInt8(truncatingIfNeeded: group) }
                out += symbols - 1
                index = end
            }
            initialized = length
        }
        return valid ? decoded : nil
    }

    /// The number of leading symbols once padding is accounted for, or nil when the length or
    /// padding is wrong. Any `=` left among the symbols fails the alphabet lookup later.
    private func significantCount(_ text: UnsafeRawBufferPointer) -> Int? {
        var count = text.count
        if padded {
            guard count % 4 == 0 else { return nil }
            var pads = 0
            while pads < 2, count > 0, text[count - 1] == UInt8(ascii: "=") {
                count -= 1
                pads += 1
            }
        }
        return count % 4 == 1 ? nil : count
    }

    /// Bits of a final group that carry no data and must be zero for the text to be canonical.
    private static func unusedBits(_ symbols: Int) -> UInt32 {
        switch symbols {
        case 2: return 0x00FFFF
        case 3: return 0x0000FF
        default: return 0
        }
    }
}
