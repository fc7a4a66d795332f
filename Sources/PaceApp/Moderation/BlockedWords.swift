import PaceSystem

/// The moderation hook: words a message may not contain, from `PACE_BLOCKED_WORDS_FILE` (one
/// per line; blank lines and lines starting with `#` are skipped), read once at start.
///
/// Matching is case-insensitive and by whole words: a text's words are its runs of letters,
/// digits and marks, so `ass` blocks "Ass!" but not "class". An entry of several words (a
/// phrase, or a spelling such as `f*ck`, which splits at the `*`) blocks those words in a row.
package struct BlockedWords: Sendable {
    package static let variable = "PACE_BLOCKED_WORDS_FILE"
    package static let refusal = APIError(422, "content_blocked", "The message contains a blocked word.")

    /// Single-word entries, lowercased.
    private let words: Set<String>
    /// Multi-word entries, as their lowercased words.
    private let phrases: [[String]]

    package init(entries: [String]) {
        var words = Set<String>()
        var phrases: [[String]] = []
        for entry in entries {
            let parts = Self.words(of: entry)
            if parts.count == 1 { words.insert(parts[0]) } else if parts.count > 1 { phrases.append(parts) }
        }
        self.words = words
        self.phrases = phrases
    }

    /// The list named by `PACE_BLOCKED_WORDS_FILE`, or an empty one when it is not set.
    package static func load(environment: [String: String]) throws(ConfigurationError) -> BlockedWords {
        guard let path = environment[variable], !path.isEmpty else { return BlockedWords(entries: []) }
        guard let text = FileContents.text(path) else {
            throw ConfigurationError("\(variable): cannot read \(path)")
        }
        let entries = text.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return BlockedWords(entries: entries)
    }

    package var isEmpty: Bool { words.isEmpty && phrases.isEmpty }

    /// Whether `text` contains a blocked word or phrase.
    package func blocks(_ text: String) -> Bool {
        guard !isEmpty else { return false }
        let textWords = Self.words(of: text)
        if textWords.contains(where: words.contains) { return true }
        for phrase in phrases where textWords.count >= phrase.count {
            for start in 0...(textWords.count - phrase.count)
            where textWords[start..<(start + phrase.count)].elementsEqual(phrase) {
                return true
            }
        }
        return false
    }

    /// The lowercased words of `text`: maximal runs of letters, digits and combining marks.
    static func words(of text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark {
                current.append(scalar)
            } else if !current.isEmpty {
                result.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { result.append(String(current)) }
        return result
    }
}
