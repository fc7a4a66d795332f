import Testing
@testable import PaceJSON

/// RFC 3339 formatting and parsing, including leap years, century rules and instants before 1970.
struct TimestampTests {
    static let instants: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (999, "1970-01-01T00:00:00.999Z"),
        (1000, "1970-01-01T00:00:01.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-1000, "1969-12-31T23:59:59.000Z"),
        (-86_400_000, "1969-12-31T00:00:00.000Z"),
        (-86_400_001, "1969-12-30T23:59:59.999Z"),
        (1_795_255_200_123, "2026-11-21T10:00:00.123Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_709_164_800_000, "2024-02-29T00:00:00.000Z"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
        (4_107_456_000_000, "2100-02-28T00:00:00.000Z"),
        (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
        (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ]

    @Test(arguments: instants)
    func formatsAndParsesBack(_ milliseconds: Int64, _ text: String) {
        #expect(Timestamp.rfc3339(milliseconds: milliseconds) == text)
        #expect(Timestamp.milliseconds(rfc3339: text) == milliseconds)
    }

    @Test(arguments: [Int64.min, -62_167_219_200_001, 253_402_300_800_000, Int64.max])
    func clampsInstantsOutsideFourDigitYears(_ milliseconds: Int64) {
        let expected = milliseconds < 0 ? "0000-01-01T00:00:00.000Z" : "9999-12-31T23:59:59.999Z"
        #expect(Timestamp.rfc3339(milliseconds: milliseconds) == expected)
    }

    @Test func agreesWithDayArithmeticAcrossFourCenturies() {
        let day: Int64 = 86_400_000
        var previous = Timestamp.rfc3339(milliseconds: -day * 400 * 366)
        for index in stride(from: -400 * 366, through: 400 * 366, by: 7) {
            let milliseconds = Int64(index) * day + 12_345_678
            let text = Timestamp.rfc3339(milliseconds: milliseconds)
            #expect(Timestamp.milliseconds(rfc3339: text) == milliseconds)
            #expect(text > previous)
            previous = text
        }
    }

    static let acceptedVariants: [(String, Int64)] = [
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01t00:00:00z", 0),
        ("1970-01-01T00:00:00.5Z", 500),
        ("1970-01-01T00:00:00.12Z", 120),
        ("1970-01-01T00:00:00.123456789Z", 123),
        ("1970-01-01T01:00:00+01:00", 0),
        ("1969-12-31T23:30:00-00:30", 0),
        ("2026-11-21T10:00:00.123+00:00", 1_795_255_200_123),
    ]

    @Test(arguments: acceptedVariants)
    func acceptsOtherRFC3339Forms(_ text: String, _ milliseconds: Int64) {
        #expect(Timestamp.milliseconds(rfc3339: text) == milliseconds)
    }

    static let malformed: [String] = [
        "",
        "2026-11-21",
        "2026-11-21T10:00",
        "2026-11-21T10:00:00",
        "2026-11-21 10:00:00Z",
        "2026-11-21T10:00:00.Z",
        "2026-11-21T10:00:00.1234567890Z",
        "2026-11-21T10:00:00.123",
        "2026-11-21T10:00:00.123ZZ",
        "2026-11-21T10:00:00.123Z ",
        " 2026-11-21T10:00:00.123Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-31T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2026-11-21T24:00:00Z",
        "2026-11-21T10:60:00Z",
        "2026-11-21T10:00:60Z",
        "2026-11-21T10:00:00+24:00",
        "2026-11-21T10:00:00+01:60",
        "2026-11-21T10:00:00+0100",
        "26-11-21T10:00:00Z",
        "+2026-11-21T10:00:00Z",
        "2026-1a-21T10:00:00Z",
        "2026/11/21T10:00:00Z",
        "２０２６-11-21T10:00:00Z",
    ]

    @Test(arguments: malformed)
    func rejectsMalformedText(_ text: String) {
        #expect(Timestamp.milliseconds(rfc3339: text) == nil)
    }

    @Test func knowsLeapYears() {
        #expect(CivilDate.isLeapYear(2000))
        #expect(CivilDate.isLeapYear(2024))
        #expect(!CivilDate.isLeapYear(2100))
        #expect(!CivilDate.isLeapYear(2026))
        #expect(Timestamp.milliseconds(rfc3339: "2000-02-29T00:00:00Z") == 951_782_400_000)
    }
}
