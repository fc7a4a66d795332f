import Testing
@testable import PaceJSON

/// Numbers: exact `Int64` where the literal allows, `Double` otherwise.
struct NumberTests {
    static let integers: [(String, Int64)] = [
        ("0", 0),
        ("7", 7),
        ("-7", -7),
        ("1234567890", 1_234_567_890),
        ("9007199254740993", 9_007_199_254_740_993),
        ("9223372036854775807", .max),
        ("-9223372036854775808", .min),
        ("-9223372036854775807", -.max),
    ]

    @Test(arguments: integers)
    func keepsIntegersExact(_ text: String, _ expected: Int64) throws {
        let value = try JSONParser.parse(text)
        #expect(value == .number(.integer(expected)))
        #expect(value.int64Value == expected)
    }

    static let doubles: [(String, Double)] = [
        ("9223372036854775808", 9_223_372_036_854_775_808.0),
        ("-9223372036854775809", -9_223_372_036_854_775_809.0),
        ("123456789012345678901234567890", 123_456_789_012_345_678_901_234_567_890.0),
        ("1.0", 1.0),
        ("-0.5", -0.5),
        ("1e2", 100),
        ("1E+2", 100),
        ("25e-1", 2.5),
        ("0.1", 0.1),
        ("1.7976931348623157e308", .greatestFiniteMagnitude),
        ("5e-324", .leastNonzeroMagnitude),
        ("1e-400", 0),
    ]

    @Test(arguments: doubles)
    func fallsBackToDouble(_ text: String, _ expected: Double) throws {
        #expect(try JSONParser.parse(text) == .number(.double(expected)))
    }

    @Test func keepsTheSignOfNegativeZero() throws {
        let value = try JSONParser.parse("-0")
        guard case .number(.double(let zero)) = value else {
            Issue.record("expected a double, got \(value)")
            return
        }
        #expect(zero == 0 && zero.sign == .minus)
        #expect(value.int64Value == 0)
        #expect(try JSONParser.parse("0") == .number(.integer(0)))
    }

    @Test func int64ValueRefusesWhatDoesNotFit() throws {
        #expect(try JSONParser.parse("9223372036854775808").int64Value == nil)
        #expect(try JSONParser.parse("1e19").int64Value == nil)
        #expect(try JSONParser.parse("1.5").int64Value == nil)
        #expect(try JSONParser.parse("1e3").int64Value == 1000)
        #expect(try JSONParser.parse("\"1\"").int64Value == nil)
    }

    @Test func acceptsAVeryLongDigitRun() throws {
        let text = "1" + String(repeating: "0", count: 300)
        #expect(try JSONParser.parse(text) == .number(.double(1e300)))
        let tooLarge = "1" + String(repeating: "0", count: 400)
        #expect(throws: JSONError(.numberOutOfRange, at: 0)) { try JSONParser.parse(tooLarge) }
    }
}
