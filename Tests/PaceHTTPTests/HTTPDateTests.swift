import Testing
@testable import PaceHTTP

struct HTTPDateTests {
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (86_399, "Thu, 01 Jan 1970 23:59:59 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_700_000_000, "Tue, 14 Nov 2023 22:13:20 GMT"),
        (1_709_251_199, "Thu, 29 Feb 2024 23:59:59 GMT"),
        (4_107_542_399, "Sun, 28 Feb 2100 23:59:59 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func formats(_ seconds: Int, _ expected: String) {
        let date = HTTPDate.imfFixdate(epochSeconds: seconds)
        #expect(String(decoding: date, as: UTF8.self) == expected)
        #expect(date.count == HTTPDate.imfFixdateLength)
    }

    @Test func clampsOutOfRangeTimes() {
        #expect(HTTPDate.imfFixdate(epochSeconds: -1) == HTTPDate.imfFixdate(epochSeconds: 0))
        #expect(HTTPDate.imfFixdate(epochSeconds: .min) == HTTPDate.imfFixdate(epochSeconds: 0))
        #expect(HTTPDate.imfFixdate(epochSeconds: .max) == HTTPDate.imfFixdate(epochSeconds: 253_402_300_799))
    }

    @Test func civilDateMatchesCountingDaysForwards() {
        var (year, month, day) = (1970, 1, 1)
        for days in 0..<(366 * 450) {
            let computed = HTTPDate.civilDate(daysSinceEpoch: days)
            guard computed == (year, month, day) else {
                Issue.record("day \(days): \(computed) != \((year, month, day))")
                return
            }
            (year, month, day) = Self.nextDay(year, month, day)
        }
    }

    @Test func appendsWithoutReallocating() {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        let base = out.withUnsafeBufferPointer { $0.baseAddress }
        HTTPDate.appendIMFFixdate(epochSeconds: 1_700_000_000, to: &out)
        #expect(out.count == 29)
        #expect(out.withUnsafeBufferPointer { $0.baseAddress } == base)
    }

    private static func nextDay(_ year: Int, _ month: Int, _ day: Int) -> (Int, Int, Int) {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        if day < lengths[month - 1] { return (year, month, day + 1) }
        if month < 12 { return (year, month + 1, 1) }
        return (year + 1, 1, 1)
    }
}
