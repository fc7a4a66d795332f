import Testing
@testable import PaceCrypto

@Suite struct HexTests {
    @Test func encodesLowercase() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x0f, 0xf0, 0xff, 0x12, 0xab]) == "000ff0ff12ab")
    }

    @Test func everyByteIsTwoDigits() {
        let bytes = (0...255).map { UInt8($0) }
        let expected = bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        #expect(Hex.encode(bytes) == expected)
        bytes.withUnsafeBytes { #expect(Hex.encode($0) == expected) }
    }
}
