/// Turns what a user typed into an FTS5 query that cannot fail to parse: every white-space
/// separated term becomes a quoted string (a `"` inside doubled), and quoted strings joined by
/// spaces mean "all of these terms". So `"`, `*`, `NEAR(`, `AND`, `-x`, `col:x` and unbalanced
/// quotes are searched as text, never read as syntax.
package enum SearchQuery {
    package static let maximumLength = 500
    /// Bounds the work of one query; later terms are ignored.
    package static let maximumTerms = 16

    /// The FTS5 MATCH expression for `text`, or nil when it has no terms.
    package static func match(_ text: String) -> String? {
        let terms = text.split(whereSeparator: { $0.isWhitespace }).prefix(maximumTerms)
        guard !terms.isEmpty else { return nil }
        var expression = ""
        for term in terms {
            if !expression.isEmpty { expression += " " }
            expression += "\""
            for character in term {
                if character == "\"" { expression += "\"\"" } else { expression.append(character) }
            }
            expression += "\""
        }
        return expression
    }
}
