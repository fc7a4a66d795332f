/// A parsed JSON document.
///
/// Objects keep their members in document order, so a value written back produces the same
/// bytes a client sent (modulo whitespace and escapes). Equality is structural and order
/// sensitive for the same reason; it is meant for tests and small comparisons.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])
}

/// One `"key": value` pair of a JSON object.
package struct JSONMember: Sendable, Equatable {
    package var key: String
    package var value: JSONValue

    package init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON number, kept exact when it can be.
///
/// A literal without fraction or exponent that fits in `Int64` is `.integer`, so IDs, sequence
/// numbers and counters survive unchanged; anything else, including integers too large for
/// `Int64`, is `.double`. `-0` is `.double(-0.0)` so its sign is not lost.
package enum JSONNumber: Sendable, Equatable {
    case integer(Int64)
    case double(Double)
}

extension JSONValue {
    /// The member named `key` when this is an object; a linear scan, as request objects are small.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key {
            return member.value
        }
        return nil
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as `Int64` when it is an integral number within range; `2.0` and `1e3` count.
    package var int64Value: Int64? {
        guard case .number(let number) = self else { return nil }
        switch number {
        case .integer(let value): return value
        case .double(let value): return Self.exactInt64(value)
        }
    }

    /// `Int64(exactly:)` without its call into libm, which this pure module does not link.
    /// The range test also turns away NaN and infinities before the conversion could trap.
    private static func exactInt64(_ value: Double) -> Int64? {
        guard value >= -0x1p63, value < 0x1p63 else { return nil }
        let integer = Int64(value)
        return Double(integer) == value ? integer : nil
    }

    package var doubleValue: Double? {
        guard case .number(let number) = self else { return nil }
        switch number {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        }
    }

    package var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    package var objectValue: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
