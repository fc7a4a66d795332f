import Testing
@testable import PaceJSON

/// The word-at-a-time scan must stop exactly where the byte-at-a-time definition says.
struct PlainRunScannerTests {
    static let specialBytes: [UInt8] = [0x00, 0x01, 0x1F, ASCII.quote, ASCII.backslash, 0x80, 0xC3, 0xE2, 0xFF]

    @Test(arguments: specialBytes)
    func stopsAtASpecialByteInAnyPosition(_ special: UInt8) {
        for length in 1...24 {
            for position in 0..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                bytes[position] = special
                let end = bytes.withUnsafeBufferPointer { PlainRunScanner.runEnd(in: $0, from: 0) }
                #expect(end == position, "length \(length), position \(position)")
            }
        }
    }

    @Test func passesOverEveryPlainByte() {
        let plain = (UInt8(0x20)...0x7F).filter { $0 != ASCII.quote && $0 != ASCII.backslash }
        let bytes = plain + plain
        let end = bytes.withUnsafeBufferPointer { PlainRunScanner.runEnd(in: $0, from: 3) }
        #expect(end == bytes.count)
        let empty = [UInt8]().withUnsafeBufferPointer { PlainRunScanner.runEnd(in: $0, from: 0) }
        #expect(empty == 0)
    }
}
