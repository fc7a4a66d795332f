/// Number scanning: the RFC 8259 grammar, exact `Int64` integers, `Double` for everything else.
extension JSONParser {
    /// Reads the number starting at `index` (a minus sign or a digit).
    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        let negative = bytes[index] == ASCII.minus
        if negative { index += 1 }
        let integer = try parseIntegerPart()
        var isIntegral = true
        if index < end, bytes[index] == ASCII.dot {
            isIntegral = false
            index += 1
            try skipDigits()
        }
        if index < end, bytes[index] | 0x20 == ASCII.lowerE {
            isIntegral = false
            index += 1
            if index < end, bytes[index] == ASCII.plus || bytes[index] == ASCII.minus { index += 1 }
            try skipDigits()
        }
        if isIntegral, let exact = exactInteger(negatedMagnitude: integer, negative: negative) {
            return exact
        }
        return try parseDouble(from: start)
    }

    /// Reads `0` or a digit run not starting with `0`; returns minus its value (the negative
    /// range is one larger, so `Int64.min` fits), or nil once it overflows.
    mutating func parseIntegerPart() throws(JSONError) -> Int64? {
        guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
        let first = bytes[index]
        guard ASCII.isDigit(first) else { throw JSONError(.invalidNumber, at: index) }
        if first == ASCII.zero {
            index += 1
            if index < end, ASCII.isDigit(bytes[index]) { throw JSONError(.leadingZero, at: index - 1) }
            return 0
        }
        var accumulator: Int64? = 0
        while index < end, ASCII.isDigit(bytes[index]) {
            if let current = accumulator {
                let (scaled, overflowA) = current.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = scaled.subtractingReportingOverflow(Int64(bytes[index] &- ASCII.zero))
                accumulator = overflowA || overflowB ? nil : next
            }
            index += 1
        }
        return accumulator
    }

    /// The integer value when it fits `Int64`; `-0` stays a double so its sign survives.
    func exactInteger(negatedMagnitude: Int64?, negative: Bool) -> JSONNumber? {
        guard let value = negatedMagnitude else { return nil }
        if negative {
            return value == 0 ? .double(-0.0) : .integer(value)
        }
        return value == .min ? nil : .integer(-value)
    }

    mutating func skipDigits() throws(JSONError) {
        guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
        guard ASCII.isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
        repeat {
            index += 1
        } while index < end && ASCII.isDigit(bytes[index])
    }

    /// Converts the already validated literal; values beyond `Double`'s range are rejected rather
    /// than turned into infinity, which JSON cannot express.
    func parseDouble(from start: Int) throws(JSONError) -> JSONNumber {
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(literal), value.isFinite else {
            throw JSONError(.numberOutOfRange, at: start)
        }
        return .double(value)
    }
}
