/// Reading header fields back out of the buffer they were parsed from, without allocating.
///
/// Every function checks its ranges against the buffer, so a field from another buffer gives
/// a wrong answer rather than an out-of-bounds read.
package enum HeaderLookup {
    /// Whether `buffer[range]` equals `expected`, ignoring ASCII case.
    package static func equalsIgnoringCase(
        _ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ expected: StaticString
    ) -> Bool {
        guard fits(range, in: buffer), range.count == expected.utf8CodeUnitCount else { return false }
        return expected.withUTF8Buffer { wanted in
            var index = range.lowerBound
            for byte in wanted {
                if ByteClass.lowercased(buffer[index]) != ByteClass.lowercased(byte) { return false }
                index &+= 1
            }
            return true
        }
    }

    /// The first field called `name` (any case), or nil.
    package static func field(
        named name: StaticString, in headers: [HTTPHeaderField], buffer: UnsafeRawBufferPointer
    ) -> HTTPHeaderField? {
        for field in headers where equalsIgnoringCase(buffer, field.name, name) {
            return field
        }
        return nil
    }

    /// The bytes of the first field called `name` (any case), or nil.
    package static func value(
        named name: StaticString, in headers: [HTTPHeaderField], buffer: UnsafeRawBufferPointer
    ) -> UnsafeRawBufferPointer? {
        guard let field = field(named: name, in: headers, buffer: buffer) else { return nil }
        return UnsafeRawBufferPointer(rebasing: buffer[field.value])
    }

    /// Whether the comma-separated list in `buffer[value]` has `token` as an element, ignoring
    /// ASCII case and the whitespace around elements (as in `Connection: keep-alive, Upgrade`).
    package static func listContains(
        _ buffer: UnsafeRawBufferPointer, _ value: Range<Int>, token: StaticString
    ) -> Bool {
        var found = false
        forEachListElement(buffer, value) { element in
            found = equalsIgnoringCase(buffer, element, token)
            return !found
        }
        return found
    }

    /// Whether any field called `name` has `token` in its list value; a list may be split over
    /// several field lines (RFC 9110 section 5.3).
    package static func anyListContains(
        named name: StaticString, token: StaticString,
        in headers: [HTTPHeaderField], buffer: UnsafeRawBufferPointer
    ) -> Bool {
        for field in headers where equalsIgnoringCase(buffer, field.name, name) {
            if listContains(buffer, field.value, token: token) { return true }
        }
        return false
    }

    /// The bytes of `range` decoded as UTF-8, invalid sequences replaced; allocates, so it is
    /// for the router and logs, never the parser.
    package static func string(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        guard fits(range, in: buffer) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// Calls `body` with each non-empty element of the list in `buffer[range]`, trimmed of
    /// whitespace, until it returns false. Empty elements are skipped as RFC 9110 section 5.6.1
    /// requires of recipients.
    static func forEachListElement(
        _ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ body: (Range<Int>) -> Bool
    ) {
        guard fits(range, in: buffer) else { return }
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            while end < range.upperBound, buffer[end] != ByteClass.comma { end &+= 1 }
            let element = trimmed(buffer, start..<end)
            if !element.isEmpty, !body(element) { return }
            start = end &+ 1
        }
    }

    /// `range` without leading and trailing SP and HTAB.
    static func trimmed(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, ByteClass.isWhitespace(buffer[lower]) { lower &+= 1 }
        while upper > lower, ByteClass.isWhitespace(buffer[upper &- 1]) { upper &-= 1 }
        return lower..<upper
    }

    private static func fits(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Bool {
        range.lowerBound >= 0 && range.upperBound <= buffer.count
    }
}
