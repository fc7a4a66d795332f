/// The rules for the profile fields a user chooses. Lengths count characters (grapheme
/// clusters) after trimming surrounding whitespace; the trimmed text is what gets stored.
enum ProfileRules {
    static let displayNameLimit = 64
    static let statusTextLimit = 140

    /// A display name, trimmed: 1 to 64 characters, no control characters.
    static func displayName(_ text: String) -> FieldCheck {
        let trimmed = text.trimmingWhitespace
        if trimmed.isEmpty { return .invalid("must not be empty") }
        if trimmed.count > displayNameLimit { return .invalid("must be at most \(displayNameLimit) characters") }
        if trimmed.hasControlCharacters { return .invalid("must not contain control characters") }
        return .valid(trimmed)
    }

    /// A status text, trimmed: at most 140 characters (empty clears it), no control characters.
    static func statusText(_ text: String) -> FieldCheck {
        let trimmed = text.trimmingWhitespace
        if trimmed.count > statusTextLimit { return .invalid("must be at most \(statusTextLimit) characters") }
        if trimmed.hasControlCharacters { return .invalid("must not contain control characters") }
        return .valid(trimmed)
    }
}

extension String {
    /// C0, DEL and C1 controls: they break rendering and logs (newlines included).
    var hasControlCharacters: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

/// The outcome of a field rule: the cleaned value, or the problem to report.
enum FieldCheck: Sendable {
    case valid(String)
    case invalid(String)
}
