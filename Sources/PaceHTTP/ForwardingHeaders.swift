/// Reads the hops out of `Forwarded` (RFC 7239) and `X-Forwarded-For` values in place,
/// without allocating. Hops are reported left to right, the client end first.
package enum ForwardingHeaders {
    /// Calls `body` with the node of each element of an `X-Forwarded-For` value (a comma
    /// list; empty elements skipped).
    package static func forEachXForwardedFor(
        _ buffer: UnsafeRawBufferPointer, _ value: Range<Int>, _ body: (ForwardedNode) -> Void
    ) {
        HeaderLookup.forEachListElement(buffer, value) { element in
            body(ForwardedNode.parse(UnsafeRawBufferPointer(rebasing: buffer[element]), bareIPv6: true))
            return true
        }
    }

    /// Calls `body` with the `for=` node of each forwarded-element of a `Forwarded` value.
    /// An element without `for`, with it twice, or with bad syntax is `.invalid`; after an
    /// unterminated quoted string nothing more of the value is read.
    package static func forEachForwarded(
        _ buffer: UnsafeRawBufferPointer, _ value: Range<Int>, _ body: (ForwardedNode) -> Void
    ) {
        guard value.lowerBound >= 0, value.upperBound <= buffer.count else { return }
        var scanner = ForwardedScanner(buffer: buffer, index: value.lowerBound, end: value.upperBound)
        while let element = scanner.nextElement() {
            guard case .some(let node) = element else { continue }
            body(node)
        }
    }
}

/// A cursor over one `Forwarded` value: `forwarded-element *( OWS "," OWS forwarded-element )`,
/// each element `pair *( ";" pair )`, each pair `token "=" ( token / quoted-string )`.
private struct ForwardedScanner {
    let buffer: UnsafeRawBufferPointer
    var index: Int
    let end: Int

    /// The next element's node; `.some(nil)` for an empty element, nil at the end.
    mutating func nextElement() -> ForwardedNode?? {
        skipWhitespace()
        guard index < end else { return nil }
        if buffer[index] == ByteClass.comma {
            index += 1
            return .some(nil)
        }
        var node: Range<Int>?
        var valid = true
        while valid {
            guard let pair = nextPair() else {
                valid = false
                break
            }
            if pair.isFor {
                if node != nil || pair.escaped { valid = false }
                node = pair.value
            }
            skipWhitespace()
            guard index < end, buffer[index] != ByteClass.comma else { break }
            if buffer[index] == ByteClass.semicolon { index += 1 } else { valid = false }
        }
        if !valid { skipToNextElement() }
        if index < end { index += 1 }
        guard valid, let node else { return .some(.invalid) }
        return .some(ForwardedNode.parse(UnsafeRawBufferPointer(rebasing: buffer[node]), bareIPv6: false))
    }

    /// One `name=value`; nil on bad syntax. `escaped`: the quoted value holds a quoted-pair,
    /// which no node needs, so such a `for` is refused rather than unescaped.
    private mutating func nextPair() -> (isFor: Bool, value: Range<Int>, escaped: Bool)? {
        skipWhitespace()
        let nameStart = index
        while index < end, ByteClass.isToken(buffer[index]) { index += 1 }
        let name = nameStart..<index
        guard !name.isEmpty, index < end, buffer[index] == ByteClass.equals else { return nil }
        index += 1
        let value: Range<Int>
        var escaped = false
        if index < end && buffer[index] == ByteClass.quote {
            let start = index + 1
            index = start
            while index < end, buffer[index] != ByteClass.quote {
                if buffer[index] == ByteClass.backslash {
                    escaped = true
                    index += 1
                }
                index += 1
            }
            guard index < end else {
                index = end
                return nil
            }
            value = start..<index
            index += 1
        } else {
            let start = index
            while index < end, ByteClass.isToken(buffer[index]) { index += 1 }
            value = start..<index
        }
        return (HeaderLookup.equalsIgnoringCase(buffer, name, "for"), value, escaped)
    }

    /// Past the next comma outside a quoted string (or to the end).
    private mutating func skipToNextElement() {
        var quoted = false
        while index < end {
            let byte = buffer[index]
            if quoted && byte == ByteClass.backslash {
                index += 2
                continue
            }
            if byte == ByteClass.quote { quoted.toggle() }
            if !quoted && byte == ByteClass.comma { return }
            index += 1
        }
        index = end
    }

    private mutating func skipWhitespace() {
        while index < end, ByteClass.isWhitespace(buffer[index]) { index += 1 }
    }
}
