/// IMF-fixdate timestamps for the Date header (RFC 9110 section 5.6.7), by pure arithmetic.
package enum HTTPDate {
    /// Length of every IMF-fixdate, as in `Sun, 06 Nov 1994 08:49:37 GMT`.
    package static let imfFixdateLength = 29

    /// Last second of year 9999; IMF-fixdate has four year digits.
    private static let latestSecond = 253_402_300_799

    /// The IMF-fixdate for `epochSeconds` (clamped to years 1970 through 9999). Allocates
    /// its array, so the server formats it once per second and reuses it.
    package static func imfFixdate(epochSeconds: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(imfFixdateLength)
        appendIMFFixdate(epochSeconds: epochSeconds, to: &out)
        return out
    }

    /// Appends the 29-byte IMF-fixdate for `epochSeconds` (clamped to years 1970 through 9999).
    package static func appendIMFFixdate(epochSeconds: Int, to out: inout [UInt8]) {
        let seconds = min(max(0, epochSeconds), latestSecond)
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekday = (days + 4) % 7

        appendName(index: weekday, of: "SunMonTueWedThuFriSat", to: &out)
        out.append(0x2C)
        out.append(ByteClass.space)
        appendDigits(day, count: 2, to: &out)
        out.append(ByteClass.space)
        appendName(index: month - 1, of: "JanFebMarAprMayJunJulAugSepOctNovDec", to: &out)
        out.append(ByteClass.space)
        appendDigits(year, count: 4, to: &out)
        out.append(ByteClass.space)
        appendDigits(secondOfDay / 3600, count: 2, to: &out)
        out.append(ByteClass.colon)
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &out)
        out.append(ByteClass.colon)
        appendDigits(secondOfDay % 60, count: 2, to: &out)
        (" GMT" as StaticString).withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Year, month (1-12) and day (1-31) of a day count from 1970-01-01 (non-negative), by
    /// Howard Hinnant's days-from-civil inverse over 400-year eras.
    static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func appendName(index: Int, of names: StaticString, to out: inout [UInt8]) {
        names.withUTF8Buffer { out.append(contentsOf: $0[(index * 3)..<(index * 3 + 3)]) }
    }

    private static func appendDigits(_ value: Int, count: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            out.append(ByteClass.zero &+ UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }
}
