/// Builds JSON text into a byte buffer, placing commas and colons itself.
///
/// Each value written after another value in the same container gets its comma, and the value
/// after `key(_:)` gets none, so callers only state structure. The writer does not check that
/// keys appear only in objects or that ends match their beginnings: the application writes fixed
/// shapes, and tests cover them. Reuse one writer with `reset()` to keep its capacity.
package struct JSONWriter: Sendable {
    package private(set) var bytes: [UInt8] = []
    /// True after a complete value, so the next one in the same container needs a comma.
    private var needsComma = false

    package init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    package mutating func reserveCapacity(_ capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Empties the writer, keeping its buffer for the next document.
    package mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    package mutating func beginObject() {
        separate()
        bytes.append(ASCII.openBrace)
        needsComma = false
    }

    package mutating func endObject() {
        bytes.append(ASCII.closeBrace)
        needsComma = true
    }

    package mutating func beginArray() {
        separate()
        bytes.append(ASCII.openBracket)
        needsComma = false
    }

    package mutating func endArray() {
        bytes.append(ASCII.closeBracket)
        needsComma = true
    }

    /// Writes an object key and its colon; the next value belongs to it.
    package mutating func key(_ name: String) {
        separate()
        JSONEscaping.appendQuoted(name, to: &bytes)
        bytes.append(ASCII.colon)
        needsComma = false
    }

    package mutating func string(_ text: String) {
        separate()
        JSONEscaping.appendQuoted(text, to: &bytes)
        needsComma = true
    }

    package mutating func int(_ number: Int64) {
        separate()
        appendDecimal(number.magnitude, negative: number < 0)
        needsComma = true
    }

    package mutating func int(_ number: Int) {
        int(Int64(number))
    }

    /// Writes the shortest text that reads back as the same `Double`. JSON has no infinity or
    /// NaN, so those are written as `null`, the way JavaScript's `JSON.stringify` does.
    package mutating func double(_ number: Double) {
        guard number.isFinite else { return null() }
        separate()
        bytes.append(contentsOf: number.description.utf8)
        needsComma = true
    }

    package mutating func bool(_ flag: Bool) {
        separate()
        if flag {
            appendWord("true")
        } else {
            appendWord("false")
        }
        needsComma = true
    }

    package mutating func null() {
        separate()
        appendWord("null")
        needsComma = true
    }

    package mutating func stringOrNull(_ text: String?) {
        guard let text else { return null() }
        string(text)
    }

    package mutating func intOrNull(_ number: Int64?) {
        guard let number else { return null() }
        int(number)
    }

    /// Writes `"2026-11-21T10:00:00.123Z"` without building an intermediate `String`.
    package mutating func timestamp(milliseconds: Int64) {
        separate()
        bytes.append(ASCII.quote)
        Timestamp.appendRFC3339(milliseconds: milliseconds, to: &bytes)
        bytes.append(ASCII.quote)
        needsComma = true
    }

    package mutating func timestampOrNull(milliseconds: Int64?) {
        guard let milliseconds else { return null() }
        timestamp(milliseconds: milliseconds)
    }

    /// Splices one complete, already encoded JSON value, such as a message encoded once and
    /// embedded in several events. The fragment is trusted, not validated.
    package mutating func raw(_ fragment: [UInt8]) {
        separate()
        bytes.append(contentsOf: fragment)
        needsComma = true
    }

    package mutating func raw(_ fragment: UnsafeRawBufferPointer) {
        separate()
        fragment.withMemoryRebound(to: UInt8.self) { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    /// Writes a parsed value back, members in their original order. Recursion depth equals the
    /// value's nesting, which the parser has already bounded.
    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(.integer(let number)): int(number)
        case .number(.double(let number)): double(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    private mutating func separate() {
        if needsComma { bytes.append(ASCII.comma) }
    }

    private mutating func appendWord(_ word: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    /// Appends the digits of `magnitude` in place: room is made first, then filled from the right.
    private mutating func appendDecimal(_ magnitude: UInt64, negative: Bool) {
        if negative { bytes.append(ASCII.minus) }
        var remaining = magnitude
        var count = 1
        while remaining >= 10 {
            remaining /= 10
            count += 1
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(ASCII.zero, count: count))
        remaining = magnitude
        var position = start + count
        repeat {
            position -= 1
            bytes[position] = ASCII.zero &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        } while remaining != 0
    }
}
