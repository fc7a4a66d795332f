/// `Accept-Encoding` (RFC 9110 section 12.5.3), asked only whether gzip is acceptable.
package enum AcceptEncoding {
    /// Whether `value` allows a gzip body: `gzip` (or `x-gzip`) with a nonzero weight, or else
    /// `*` with a nonzero weight. An absent header allows only the identity.
    package static func allowsGzip(_ value: String?) -> Bool {
        guard let value else { return false }
        var wildcard: Bool?
        for member in value.split(separator: ",") {
            let parts = member.split(separator: ";")
            guard let coding = parts.first.map({ trimmed($0).lowercased() }), !coding.isEmpty else { continue }
            let allowed = parts.dropFirst().allSatisfy { !isZeroWeight($0) }
            if coding == "gzip" || coding == "x-gzip" { return allowed }
            if coding == "*" { wildcard = allowed }
        }
        return wildcard ?? false
    }

    /// Whether a parameter is `q=0`, `q=0.`, `q=0.0`… (a weight that refuses the coding).
    private static func isZeroWeight(_ parameter: Substring) -> Bool {
        let text = trimmed(parameter).lowercased()
        guard text.hasPrefix("q=") else { return false }
        let weight = text.dropFirst(2)
        guard weight.first == "0" else { return false }
        return weight.dropFirst().allSatisfy { $0 == "." || $0 == "0" }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }),
              let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[start...end]
    }
}
