/// RFC 3339 timestamps in UTC with exactly three fractional digits, the API's one time format,
/// computed with civil-from-days arithmetic (proleptic Gregorian calendar) and no C library.
package enum Timestamp {
    static let millisecondsPerDay: Int64 = 86_400_000
    /// `0000-01-01T00:00:00.000Z`: RFC 3339 years have exactly four digits.
    package static let earliestMilliseconds: Int64 = -62_167_219_200_000
    /// `9999-12-31T23:59:59.999Z`.
    package static let latestMilliseconds: Int64 = 253_402_300_799_999

    /// Formats milliseconds since the Unix epoch, e.g. `2026-11-21T10:00:00.123Z`. Instants outside
    /// years 0000...9999 are clamped to that range, since RFC 3339 cannot express them.
    package static func rfc3339(milliseconds: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendRFC3339(milliseconds: milliseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 24 bytes of the timestamp: a template first, then its digits in place, so the
    /// buffer is checked for uniqueness and capacity once rather than per byte.
    static func appendRFC3339(milliseconds: Int64, to output: inout [UInt8]) {
        let instant = min(max(milliseconds, earliestMilliseconds), latestMilliseconds)
        let (days, timeOfDay) = floorDivide(instant, by: millisecondsPerDay)
        let date = CivilDate(daysSinceEpoch: days)
        let template: StaticString = "0000-00-00T00:00:00.000Z"
        let start = output.count
        output.append(contentsOf: UnsafeBufferPointer(start: template.utf8Start, count: template.utf8CodeUnitCount))
        output.withUnsafeMutableBufferPointer { buffer in
            writeDigits(date.year, count: 4, at: start, in: buffer)
            writeDigits(date.month, count: 2, at: start + 5, in: buffer)
            writeDigits(date.day, count: 2, at: start + 8, in: buffer)
            writeDigits(timeOfDay / 3_600_000, count: 2, at: start + 11, in: buffer)
            writeDigits(timeOfDay / 60_000 % 60, count: 2, at: start + 14, in: buffer)
            writeDigits(timeOfDay / 1000 % 60, count: 2, at: start + 17, in: buffer)
            writeDigits(timeOfDay % 1000, count: 3, at: start + 20, in: buffer)
        }
    }

    /// Division rounding toward negative infinity, so instants before 1970 land on the right day.
    static func floorDivide(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Overwrites `count` template zeros with the low digits of a non-negative number.
    private static func writeDigits(_ value: Int64, count: Int, at position: Int, in buffer: UnsafeMutableBufferPointer<UInt8>) {
        var remaining = value
        for offset in stride(from: position + count - 1, through: position, by: -1) {
            buffer[offset] = ASCII.zero &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
    }
}
