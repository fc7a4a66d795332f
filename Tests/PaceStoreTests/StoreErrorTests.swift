import PaceStore
import Testing

@Suite struct StoreErrorTests {
    @Test(arguments: [
        (Int32(2067), StoreError.constraint(kind: .unique, message: "m")),
        (787, .constraint(kind: .foreignKey, message: "m")),
        (275, .constraint(kind: .check, message: "m")),
        (1299, .constraint(kind: .notNull, message: "m")),
        (1555, .constraint(kind: .primaryKey, message: "m")),
        (19, .constraint(kind: .other, message: "m")),
        (5, .busy(message: "m")),
        (517, .busy(message: "m")),
        (6, .busy(message: "m")),
        (11, .corrupt(message: "m")),
        (26, .corrupt(message: "m")),
        (10, .io(message: "m")),
        (1034, .io(message: "m")),
        (13, .io(message: "m")),
        (21, .misuse(message: "m")),
        (1, .other(code: 1, message: "m")),
        (8, .other(code: 8, message: "m")),
    ])
    func classifiesResultCodes(code: Int32, expected: StoreError) {
        #expect(StoreError(code: code, message: "m") == expected)
    }

    @Test(arguments: [
        ("", "cbf29ce484222325"),
        ("a", "af63dc4c8601ec8c"),
        ("foobar", "85944171f73967e8"),
    ])
    func fingerprintMatchesFNV1aVectors(text: String, hex: String) {
        #expect(Fingerprint.hex(of: text) == hex)
    }
}
