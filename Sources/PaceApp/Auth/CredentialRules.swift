/// The rules for usernames and passwords.
///
/// Usernames are folded to lower case before validation, so `Alice` registers (and logs in)
/// as `alice`: mobile keyboards capitalise the first letter, and the stored name is always
/// canonical. After folding they must be 3 to 32 of `[a-z0-9_.-]`.
enum CredentialRules {
    static let usernameLengths = 3...32
    static let passwordLengths = 8...128

    /// The canonical (lower-case) username, or the problem with it.
    static func username(_ text: String) -> FieldCheck {
        let folded = canonicalUsername(text)
        guard usernameLengths.contains(folded.utf8.count) else {
            return .invalid("must be 3 to 32 characters")
        }
        guard folded.utf8.allSatisfy(isUsernameByte) else {
            return .invalid("may contain only a-z, 0-9, '_', '.' and '-'")
        }
        return .valid(folded)
    }

    /// Lower-cases ASCII letters only; anything else is left for validation to refuse.
    static func canonicalUsername(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Passwords are any 8 to 128 characters; nothing else is imposed (NIST SP 800-63B, which
    /// also says each code point counts as one character: `"e\u{301}"` is two, `"\r\n"` too).
    static func password(_ text: String) -> String? {
        passwordLengths.contains(text.unicodeScalars.count) ? nil : "must be 8 to 128 characters"
    }

    private static func isUsernameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"): true
        default: false
        }
    }
}
