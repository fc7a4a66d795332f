/// The `; name=value` parameter lists shared by `Content-Type` and `Content-Disposition`
/// (RFC 9110 §5.6.6): values are tokens or quoted strings.
package enum HeaderParameters {
    /// One parameter; the name is lowercased, the value unquoted.
    package struct Parameter: Sendable, Equatable {
        package let name: String
        package let value: String
    }

    /// Parses the parameters of `bytes` from `start`, or nil when they do not follow the grammar.
    /// A backslash in a quoted string escapes only `"` and `\`: browsers send Windows paths in
    /// multipart filenames without escaping them. Browsers never escape at all (HTML's form-data
    /// encoding writes `"` as `%22`), so a list that only parses with every backslash literal,
    /// such as `name="a\"`, is read that way.
    static func parse(_ bytes: [UInt8], from start: Int) -> [Parameter]? {
        parse(bytes, from: start, escapes: true) ?? parse(bytes, from: start, escapes: false)
    }

    private static func parse(_ bytes: [UInt8], from start: Int, escapes: Bool) -> [Parameter]? {
        var index = start
        var parameters: [Parameter] = []
        while true {
            skipWhitespace(bytes, &index)
            guard index < bytes.count else { return parameters }
            guard bytes[index] == ByteClass.semicolon else { return nil }
            index += 1
            skipWhitespace(bytes, &index)
            guard index < bytes.count else { return parameters }
            let name = token(bytes, &index)
            guard !name.isEmpty, index < bytes.count, bytes[index] == ByteClass.equals else { return nil }
            index += 1
            let value: [UInt8]
            if index < bytes.count && bytes[index] == ByteClass.quote {
                guard let quoted = quotedString(bytes, &index, escapes: escapes) else { return nil }
                value = quoted
            } else {
                value = token(bytes, &index)
                guard !value.isEmpty else { return nil }
            }
            parameters.append(Parameter(name: String(decoding: name, as: UTF8.self).lowercased(),
                                        value: String(decoding: value, as: UTF8.self)))
        }
    }

    /// The token starting at `index` (possibly empty); `index` moves past it.
    static func token(_ bytes: [UInt8], _ index: inout Int) -> [UInt8] {
        let start = index
        while index < bytes.count && ByteClass.isToken(bytes[index]) { index += 1 }
        return Array(bytes[start..<index])
    }

    static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count && ByteClass.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Writes `value` as a token when it is one, else as a quoted string.
    static func quoteIfNeeded(_ value: String) -> String {
        if !value.isEmpty && value.utf8.allSatisfy(ByteClass.isToken) { return value }
        var out = "\""
        for character in value {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    private static func quotedString(_ bytes: [UInt8], _ index: inout Int, escapes: Bool) -> [UInt8]? {
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == ByteClass.quote { return value }
            if byte == ByteClass.backslash, escapes, index < bytes.count,
               bytes[index] == ByteClass.quote || bytes[index] == ByteClass.backslash {
                value.append(bytes[index])
                index += 1
                continue
            }
            // qdtext and obs-text: any field-value byte (HTAB, SP, VCHAR, obs-text).
            guard ByteClass.isFieldValue(byte) else { return nil }
            value.append(byte)
        }
        return nil
    }
}
