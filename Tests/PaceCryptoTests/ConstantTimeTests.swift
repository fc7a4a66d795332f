import Testing
@testable import PaceCrypto

@Suite struct ConstantTimeTests {
    struct Case: Sendable {
        let a: [UInt8]
        let b: [UInt8]
        let equal: Bool
    }

    static let cases = [
        Case(a: [], b: [], equal: true),
        Case(a: [1, 2, 3], b: [1, 2, 3], equal: true),
        Case(a: [9, 2, 3], b: [1, 2, 3], equal: false),
        Case(a: [1, 2, 3], b: [1, 2, 9], equal: false),
        Case(a: [1, 2], b: [1, 2, 3], equal: false),
        Case(a: [], b: [0], equal: false),
        Case(a: [0], b: [], equal: false),
    ]

    @Test(arguments: cases)
    func comparesContentsAndLength(_ test: Case) {
        #expect(ConstantTime.equals(test.a, test.b) == test.equal)
        test.a.withUnsafeBytes { a in
            test.b.withUnsafeBytes { b in
                #expect(ConstantTime.equals(a, b) == test.equal)
            }
        }
    }
}
