/// Turns what a user typed into a full-text query that cannot fail to parse. The text is split
/// at white space into at most `maximumTerms` terms, and a message matches when it contains every
/// term, each term as a phrase of its words (`foo-bar` finds "foo bar"). No term is ever read as
/// syntax: `"`, `*`, `NEAR(`, `AND`, `-x`, `col:x`, `!`, `<->` and unbalanced quotes are text.
///
/// SQLite gets an FTS5 expression of quoted strings (`match`); PostgreSQL gets the terms and
/// builds a tsquery of `phraseto_tsquery` per term joined with `&` (see
/// `SearchQueries.postgresSearchSQL`). Where the two differ: FTS5's unicode61 tokenizer folds
/// diacritics ("cafe" finds "café") and PostgreSQL's 'simple' configuration does not; on
/// PostgreSQL a term with no word characters at all (such as `!!!`) is ignored, and a query of
/// only such terms finds nothing.
package enum SearchQuery {
    package static let maximumLength = 500
    /// Bounds the work of one query; later terms are ignored.
    package static let maximumTerms = 16

    /// The white-space separated terms of `text`, at most `maximumTerms`.
    package static func terms(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).prefix(maximumTerms).map(String.init)
    }

    /// The FTS5 MATCH expression for `text`, or nil when it has no terms.
    package static func match(_ text: String) -> String? {
        expression(terms(text))
    }

    /// The FTS5 MATCH expression for `terms`: each a quoted string (a `"` inside doubled), joined
    /// by spaces ("all of these"); nil when there are none.
    package static func expression(_ terms: [String]) -> String? {
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
