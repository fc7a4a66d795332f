/// One header field line, as offsets into the buffer it was parsed from.
///
/// Offsets instead of strings keep parsing allocation-free; they stay valid for as long as
/// the caller keeps the request's bytes where they were parsed.
package struct HTTPHeaderField: Equatable, Hashable, Sendable {
    /// The field name, as sent (not case-folded).
    package var name: Range<Int>
    /// The field value without leading or trailing whitespace; may be empty.
    package var value: Range<Int>

    package init(name: Range<Int>, value: Range<Int>) {
        self.name = name
        self.value = value
    }
}
