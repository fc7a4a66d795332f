#if canImport(Glibc)
import Glibc
#endif

/// Finds the few fields the load generator needs in a server frame without parsing it:
/// a full JSON parse per delivery would cost more than the server's work being measured.
///
/// A key is found as `"key"` followed by optional whitespace and a colon, anywhere in the
/// frame, and the first such match wins. That is sound for the frames of API.md, whose
/// bodies are JSON strings: a quote inside a string is always escaped, so `"key"` cannot
/// match inside one.
package enum JSONFieldScanner {
    /// A key in its quoted form, built once.
    package struct Key: Sendable {
        package let quoted: [UInt8]
        package init(_ name: String) { quoted = Array("\"\(name)\"".utf8) }
    }

    package static let type = Key("type")
    package static let body = Key("body")
    package static let clientID = Key("client_id")
    package static let seq = Key("seq")
    package static let heartbeat = Key("heartbeat_interval_ms")

    /// The byte range of the string value of `key`, still escaped, without its quotes; nil
    /// when the key is missing, its value is not a string or the string is unterminated.
    package static func string(_ key: Key, in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let start = valueStart(key, in: bytes), start < bytes.count,
              bytes[start] == UInt8(ascii: "\"") else { return nil }
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return (start + 1)..<index
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return nil
    }

    /// The non-negative integer value of `key`; nil when missing, negative or not a number.
    package static func unsignedInteger(_ key: Key, in bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard let start = valueStart(key, in: bytes) else { return nil }
        return leadingDigits(bytes, from: start, to: bytes.count)
    }

    /// Whether the bytes in `range` are exactly `literal`.
    package static func equals(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: [UInt8]) -> Bool {
        guard range.count == literal.count, let base = bytes.baseAddress else { return false }
        return literal.withUnsafeBytes { expected in
            guard let other = expected.baseAddress else { return true }
            return memcmp(base + range.lowerBound, other, range.count) == 0
        }
    }

    /// The decimal number at `from`, up to the first non-digit or `to`; nil without a digit
    /// or on overflow.
    package static func leadingDigits(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> UInt64? {
        var value: UInt64 = 0
        var index = from
        while index < to, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = sum
            index += 1
        }
        return index > from ? value : nil
    }

    /// Where the value of the first `"key":` starts, after the colon and any whitespace.
    private static func valueStart(_ key: Key, in bytes: UnsafeRawBufferPointer) -> Int? {
        var from = 0
        while let match = find(key.quoted, in: bytes, from: from) {
            var index = skipWhitespace(bytes, match + key.quoted.count)
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                index = skipWhitespace(bytes, index + 1)
                return index
            }
            from = match + 1
        }
        return nil
    }

    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    /// The offset of the first occurrence of `needle` at or after `from`.
    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let base = bytes.baseAddress, let first = needle.first else { return nil }
        let last = bytes.count - needle.count
        var index = from
        return needle.withUnsafeBytes { pattern -> Int? in
            guard let patternBase = pattern.baseAddress else { return nil }
            while index <= last {
                guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + offset, patternBase, needle.count) == 0 { return offset }
                index = offset + 1
            }
            return nil
        }
    }
}
