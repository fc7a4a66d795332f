/// Samples from Autobahn group 6 (after Markus Kuhn's UTF-8 decoder stress test), each with
/// where a validator must first know it is invalid.
struct UTF8Sample: CustomStringConvertible, Sendable {
    enum Verdict: Equatable, Sendable {
        case valid
        /// Invalid once the byte at this index arrives, and not before.
        case invalidAt(Int)
        /// Every byte is acceptable but the text ends inside a sequence.
        case truncated
    }

    var description: String
    var bytes: [UInt8]
    var verdict: Verdict

    static let kosme: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]

    static let all: [UTF8Sample] = [
        UTF8Sample(description: "empty", bytes: [], verdict: .valid),
        UTF8Sample(description: "κόσμε", bytes: kosme, verdict: .valid),
        UTF8Sample(description: "Hello-µ@ßöäüàá-UTF-8!!", bytes: Array("Hello-µ@ßöäüàá-UTF-8!!".utf8), verdict: .valid),
        UTF8Sample(description: "first of each length", bytes: [0x00, 0xC2, 0x80, 0xE0, 0xA0, 0x80, 0xF0, 0x90, 0x80, 0x80], verdict: .valid),
        UTF8Sample(description: "last of each length", bytes: [0x7F, 0xDF, 0xBF, 0xEF, 0xBF, 0xBF, 0xF4, 0x8F, 0xBF, 0xBF], verdict: .valid),
        UTF8Sample(description: "around the surrogates", bytes: [0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80, 0xEF, 0xBF, 0xBD], verdict: .valid),
        UTF8Sample(description: "noncharacters U+FFFE U+FFFF", bytes: [0xEF, 0xBF, 0xBE, 0xEF, 0xBF, 0xBF], verdict: .valid),
        UTF8Sample(description: "long ASCII", bytes: Array("The quick brown fox jumps over the lazy dog, twice over.".utf8), verdict: .valid),
        UTF8Sample(description: "kosme then a surrogate (6.3.1)", bytes: kosme + [0xED, 0xA0, 0x80] + Array("edited".utf8), verdict: .invalidAt(12)),
        UTF8Sample(description: "lone continuation 80", bytes: [0x80], verdict: .invalidAt(0)),
        UTF8Sample(description: "lone continuation BF", bytes: [0xBF], verdict: .invalidAt(0)),
        UTF8Sample(description: "continuations 80 BF 80 BF", bytes: [0x80, 0xBF, 0x80, 0xBF], verdict: .invalidAt(0)),
        UTF8Sample(description: "ASCII then a continuation", bytes: Array("abcdefghij".utf8) + [0x80], verdict: .invalidAt(10)),
        UTF8Sample(description: "overlong slash C0 AF", bytes: [0xC0, 0xAF], verdict: .invalidAt(0)),
        UTF8Sample(description: "overlong slash E0 80 AF", bytes: [0xE0, 0x80, 0xAF], verdict: .invalidAt(1)),
        UTF8Sample(description: "overlong slash F0 80 80 AF", bytes: [0xF0, 0x80, 0x80, 0xAF], verdict: .invalidAt(1)),
        UTF8Sample(description: "overlong slash F8 80 80 80 AF", bytes: [0xF8, 0x80, 0x80, 0x80, 0xAF], verdict: .invalidAt(0)),
        UTF8Sample(description: "overlong slash FC 80 80 80 80 AF", bytes: [0xFC, 0x80, 0x80, 0x80, 0x80, 0xAF], verdict: .invalidAt(0)),
        UTF8Sample(description: "largest overlong C1 BF", bytes: [0xC1, 0xBF], verdict: .invalidAt(0)),
        UTF8Sample(description: "largest overlong E0 9F BF", bytes: [0xE0, 0x9F, 0xBF], verdict: .invalidAt(1)),
        UTF8Sample(description: "largest overlong F0 8F BF BF", bytes: [0xF0, 0x8F, 0xBF, 0xBF], verdict: .invalidAt(1)),
        UTF8Sample(description: "high surrogate ED A0 80", bytes: [0xED, 0xA0, 0x80], verdict: .invalidAt(1)),
        UTF8Sample(description: "low surrogate ED BF BF", bytes: [0xED, 0xBF, 0xBF], verdict: .invalidAt(1)),
        UTF8Sample(description: "surrogate pair", bytes: [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80], verdict: .invalidAt(1)),
        UTF8Sample(description: "above U+10FFFF F4 90 80 80", bytes: [0xF4, 0x90, 0x80, 0x80], verdict: .invalidAt(1)),
        UTF8Sample(description: "F5", bytes: [0xF5, 0x80, 0x80, 0x80], verdict: .invalidAt(0)),
        UTF8Sample(description: "FE", bytes: [0xFE], verdict: .invalidAt(0)),
        UTF8Sample(description: "FF", bytes: [0xFF], verdict: .invalidAt(0)),
        UTF8Sample(description: "lead byte then space C2 20", bytes: [0xC2, 0x20], verdict: .invalidAt(1)),
        UTF8Sample(description: "three-byte lead then space E1 80 20", bytes: [0xE1, 0x80, 0x20], verdict: .invalidAt(2)),
        UTF8Sample(description: "two lead bytes C2 C2", bytes: [0xC2, 0xC2], verdict: .invalidAt(1)),
        UTF8Sample(description: "bad last continuation F4 8F BF C0", bytes: [0xF4, 0x8F, 0xBF, 0xC0], verdict: .invalidAt(3)),
        UTF8Sample(description: "valid then lone lead in the middle", bytes: kosme + [0xE0] + Array("abc".utf8), verdict: .invalidAt(12)),
        UTF8Sample(description: "truncated C2", bytes: [0xC2], verdict: .truncated),
        UTF8Sample(description: "truncated E0 A0", bytes: [0xE0, 0xA0], verdict: .truncated),
        UTF8Sample(description: "truncated F0 90 80", bytes: [0xF0, 0x90, 0x80], verdict: .truncated),
        UTF8Sample(description: "kosme truncated", bytes: Array(kosme[..<4]), verdict: .truncated),
    ]
}
