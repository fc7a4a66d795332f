/// What a `Range` header asks of a file of known size (RFC 9110 §14).
package enum ByteRange: Equatable, Sendable {
    /// No range, one this server ignores (malformed, another unit, `last < first`), or several
    /// ranges (multipart/byteranges is not offered): the whole file, 200.
    case full
    /// Bytes `first...last`, 206.
    case partial(first: Int64, last: Int64)
    /// A valid single range entirely past the end (or an empty suffix): 416.
    case unsatisfiable

    /// Evaluates a single `bytes=a-b`, `bytes=a-` or `bytes=-n` against `size`.
    package static func evaluate(_ header: String?, size: Int64) -> ByteRange {
        guard let header else { return .full }
        let text = Substring(header).trimmingSpaces
        guard text.count > 6, text.prefix(6).lowercased() == "bytes=" else { return .full }
        let spec = Substring(text.dropFirst(6)).trimmingSpaces
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .full }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = number(last) else { return .full }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .partial(first: max(0, size - suffix), last: size - 1)
        }
        guard let start = number(first) else { return .full }
        var end = size - 1
        if !last.isEmpty {
            guard let requested = number(last), requested >= start else { return .full }
            end = min(requested, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .partial(first: start, last: end)
    }

    /// Up to 18 decimal digits, so the value fits in Int64.
    private static func number(_ text: Substring) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }
}
