/// Reading RFC 3339 date-times back into milliseconds.
extension Timestamp {
    /// Milliseconds since the epoch for an RFC 3339 date-time, or nil if it is malformed.
    ///
    /// Accepts `T`/`t`, `Z`/`z` or a `±HH:MM` offset, and 1 to 9 fractional digits; digits beyond
    /// milliseconds are truncated. Leap seconds (`:60`) are rejected, as the server never makes them.
    package static func milliseconds(rfc3339 text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        var reader = TimestampReader(utf8: utf8)
        guard let year = reader.number(digits: 4), reader.skip(ASCII.minus),
              let month = reader.number(digits: 2), reader.skip(ASCII.minus),
              let day = reader.number(digits: 2), reader.skip(ASCII.upperT) || reader.skip(ASCII.lowerT),
              let hour = reader.number(digits: 2), reader.skip(ASCII.colon),
              let minute = reader.number(digits: 2), reader.skip(ASCII.colon),
              let second = reader.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var milliseconds: Int64 = 0
        if reader.skip(ASCII.dot) {
            guard let fraction = reader.fractionMilliseconds() else { return nil }
            milliseconds = fraction
        }
        guard let offset = reader.offsetMinutes(), reader.isAtEnd else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let timeOfDay = ((hour * 60 + minute - offset) * 60 + second) * 1000 + milliseconds
        return days * millisecondsPerDay + timeOfDay
    }
}

/// A cursor over the fixed-width fields of an RFC 3339 date-time.
private struct TimestampReader {
    let utf8: UnsafeBufferPointer<UInt8>
    var index = 0

    init(utf8: UnsafeBufferPointer<UInt8>) {
        self.utf8 = utf8
    }

    var isAtEnd: Bool { index == utf8.count }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard index < utf8.count, utf8[index] == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `digits` decimal digits.
    mutating func number(digits: Int) -> Int64? {
        guard utf8.count - index >= digits else { return nil }
        var value: Int64 = 0
        for _ in 0..<digits {
            let byte = utf8[index]
            guard ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int64(byte &- ASCII.zero)
            index += 1
        }
        return value
    }

    /// 1 to 9 fractional digits, as whole milliseconds.
    mutating func fractionMilliseconds() -> Int64? {
        var milliseconds: Int64 = 0
        var count = 0
        while index < utf8.count, ASCII.isDigit(utf8[index]) {
            if count < 3 { milliseconds = milliseconds * 10 + Int64(utf8[index] &- ASCII.zero) }
            count += 1
            index += 1
        }
        guard (1...9).contains(count) else { return nil }
        for _ in count..<max(count, 3) { milliseconds *= 10 }
        return milliseconds
    }

    /// The offset east of UTC in minutes: 0 for `Z`, else `±HH:MM`.
    mutating func offsetMinutes() -> Int64? {
        if skip(ASCII.upperZ) || skip(ASCII.lowerZ) { return 0 }
        let sign: Int64
        if skip(ASCII.plus) {
            sign = 1
        } else if skip(ASCII.minus) {
            sign = -1
        } else {
            return nil
        }
        guard let hours = number(digits: 2), skip(ASCII.colon), let minutes = number(digits: 2),
              hours < 24, minutes < 60
        else { return nil }
        return sign * (hours * 60 + minutes)
    }
}
