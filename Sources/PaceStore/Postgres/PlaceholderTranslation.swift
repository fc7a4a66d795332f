/// Rewrites the seam's SQLite-style parameters (`?N`, and bare `?` meaning one more than the
/// largest number so far, as SQLite numbers them) into PostgreSQL's `$N`. Question marks inside
/// string literals, quoted identifiers and `--` comments are left alone. The result is computed
/// once per SQL text and cached with the connection's prepared statement.
package enum PlaceholderTranslation {
    /// The PostgreSQL text of `sql` and the number of parameters it refers to.
    package static func translate(_ sql: String) -> (text: String, parameterCount: Int) {
        var output: [UInt8] = []
        output.reserveCapacity(sql.utf8.count + 8)
        let bytes = Array(sql.utf8)
        var index = 0, largest = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                let end = closing(byte, in: bytes, after: index)
                output.append(contentsOf: bytes[index..<end])
                index = end
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                var end = index
                while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                output.append(contentsOf: bytes[index..<end])
                index = end
            case UInt8(ascii: "?"):
                var end = index + 1, number = 0
                while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9"), number < 100_000 {
                    number = number * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                    end += 1
                }
                if end == index + 1 { number = largest + 1 }
                largest = max(largest, number)
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(number).utf8)
                index = end
            default:
                output.append(byte)
                index += 1
            }
        }
        return (String(decoding: output, as: UTF8.self), largest)
    }

    /// The index just past the quote that closes the one at `start` (a doubled quote is an
    /// escaped one), or the end of the text when it never closes.
    private static func closing(_ quote: UInt8, in bytes: [UInt8], after start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }
}
