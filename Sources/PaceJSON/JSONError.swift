/// Why a document was rejected, and the byte offset where the parser noticed.
package struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reasons the parser gives; raw values are short snake_case words fit for an API error.
    package enum Reason: String, Sendable, Equatable {
        case unexpectedEnd = "unexpected_end"
        case unexpectedCharacter = "unexpected_character"
        case trailingData = "trailing_data"
        case tooDeep = "too_deep"
        case duplicateKey = "duplicate_key"
        case invalidNumber = "invalid_number"
        case leadingZero = "leading_zero"
        case numberOutOfRange = "number_out_of_range"
        case controlCharacter = "control_character"
        case invalidEscape = "invalid_escape"
        case loneSurrogate = "lone_surrogate"
        case invalidUTF8 = "invalid_utf8"
    }

    package let offset: Int
    package let kind: Reason

    package init(_ kind: Reason, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The short reason word, e.g. `duplicate_key`.
    package var reason: String { kind.rawValue }

    package var description: String { "\(kind.rawValue) at byte \(offset)" }
}
