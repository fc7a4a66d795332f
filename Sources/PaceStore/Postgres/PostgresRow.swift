import CLibPQ

/// One row of a PostgreSQL result in text format, by 0-based column index. Valid only while the
/// result lives (inside `map`), like SQLite's `Row`. Integers and reals are parsed from their
/// text; `t`/`f` read as 1/0; bytea arrives as `\x` hex and is decoded.
struct PostgresRow: StoreRow {
    let result: OpaquePointer
    let index: Int32

    func isNull(_ column: Int32) -> Bool {
        PQgetisnull(result, index, column) == 1
    }

    func int64(_ column: Int32) -> Int64 {
        let text = field(column)
        guard let first = text.first else { return 0 }
        if first == UInt8(ascii: "t") { return 1 }
        var value: Int64 = 0, negative = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value &* 10 &+ Int64(byte - UInt8(ascii: "0"))
            default: return negative ? -value : value
            }
        }
        return negative ? -value : value
    }

    func double(_ column: Int32) -> Double {
        Double(string(column)) ?? 0
    }

    func string(_ column: Int32) -> String {
        String(decoding: field(column), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        let text = field(column)
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else { return Array(text) }
        var out: [UInt8] = []
        out.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index + 1 < text.count {
            out.append(Self.nibble(text[index]) << 4 | Self.nibble(text[index + 1]))
            index += 2
        }
        return out
    }

    private func field(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let value = PQgetvalue(result, index, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(PQgetlength(result, index, column))
        return UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: count)
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: 0
        }
    }
}
