import Testing
@testable import PaceCrypto

@Suite struct SecureRandomTests {
    @Test(arguments: [0, 1, 16, 32, 1000])
    func returnsRequestedLength(_ count: Int) {
        #expect(SecureRandom.bytes(count).count == count)
    }

    @Test func successiveDrawsDiffer() {
        let first = SecureRandom.bytes(32)
        let second = SecureRandom.bytes(32)
        #expect(first != second)
        #expect(first != [UInt8](repeating: 0, count: 32))
    }
}
