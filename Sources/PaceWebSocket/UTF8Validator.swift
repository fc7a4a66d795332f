/// Streaming UTF-8 validation (Unicode table 3-7) that fails at the first byte after which no
/// continuation could make the input valid, as RFC 6455 section 8.1 asks of text messages
/// arriving in pieces.
///
/// Rejects overlong forms (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF), code points
/// above U+10FFFF (F4 90..BF, F5..FF), stray continuation bytes, and, through `isComplete`,
/// a sequence cut off at the end of the message. A failure is sticky.
package struct UTF8Validator: Sendable {
    /// Continuation bytes the current sequence still needs; `failed` once invalid.
    private var pending: UInt8 = 0
    /// Bounds of the next continuation byte: tighter than 80..BF only right after a lead byte.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    private static let failed: UInt8 = 0xFF

    package init() {}

    /// Whether everything fed so far is valid and ends on a code point boundary.
    package var isComplete: Bool { pending == 0 }

    /// Validates the next bytes of the stream; false as soon as the stream cannot be valid.
    package mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard pending != Self.failed else { return false }
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            if pending == 0 {
                index = Self.skipASCII(base, from: index, count: count)
                guard index < count else { break }
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index &+= 1
                if byte >= 0x80, !start(byte) { return false }
            } else {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index &+= 1
                guard byte >= lower, byte <= upper else {
                    pending = Self.failed
                    return false
                }
                pending &-= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Validates the next bytes of the stream; false as soon as the stream cannot be valid.
    package mutating func feed(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Begins the sequence led by a non-ASCII `byte`, or fails when no sequence starts so.
    private mutating func start(_ byte: UInt8) -> Bool {
        switch byte {
        case 0xC2...0xDF: expect(1, 0x80, 0xBF)
        case 0xE0: expect(2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE, 0xEF: expect(2, 0x80, 0xBF)
        case 0xED: expect(2, 0x80, 0x9F)
        case 0xF0: expect(3, 0x90, 0xBF)
        case 0xF1...0xF3: expect(3, 0x80, 0xBF)
        case 0xF4: expect(3, 0x80, 0x8F)
        default:
            pending = Self.failed
            return false
        }
        return true
    }

    private mutating func expect(_ continuations: UInt8, _ lower: UInt8, _ upper: UInt8) {
        pending = continuations
        self.lower = lower
        self.upper = upper
    }

    /// The index of the first non-ASCII byte at or after `index`, eight bytes at a time
    /// because chat traffic is mostly ASCII JSON.
    private static func skipASCII(_ base: UnsafeRawPointer, from index: Int, count: Int) -> Int {
        var index = index
        while count &- index >= 8 {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index &+= 8
        }
        while index < count, base.load(fromByteOffset: index, as: UInt8.self) < 0x80 {
            index &+= 1
        }
        return index
    }
}
