import Testing
@testable import PaceJSON

/// Documents a strict parser must refuse (JSONTestSuite's `n_` category), with the reason and
/// the byte offset reported.
struct ParserRejectTests {
    static let cases: [(String, JSONError.Reason, Int)] = [
        ("", .unexpectedEnd, 0),
        ("   ", .unexpectedEnd, 3),
        ("[", .unexpectedEnd, 1),
        ("[1", .unexpectedEnd, 2),
        ("[1,", .unexpectedEnd, 3),
        ("{", .unexpectedEnd, 1),
        ("{\"a\"", .unexpectedEnd, 4),
        ("{\"a\":", .unexpectedEnd, 5),
        ("{\"a\":1", .unexpectedEnd, 6),
        ("\"abc", .unexpectedEnd, 4),
        ("[1,]", .unexpectedCharacter, 3),
        ("[,1]", .unexpectedCharacter, 1),
        ("[1,,2]", .unexpectedCharacter, 3),
        ("{\"a\":1,}", .unexpectedCharacter, 7),
        ("{,}", .unexpectedCharacter, 1),
        ("[1 2]", .unexpectedCharacter, 3),
        ("{\"a\" 1}", .unexpectedCharacter, 5),
        ("{\"a\":1 \"b\":2}", .unexpectedCharacter, 7),
        ("{a:1}", .unexpectedCharacter, 1),
        ("{'a':1}", .unexpectedCharacter, 1),
        ("{1:1}", .unexpectedCharacter, 1),
        ("{\"a\"::1}", .unexpectedCharacter, 5),
        ("[1}", .unexpectedCharacter, 2),
        ("{\"a\":1]", .unexpectedCharacter, 6),
        ("]", .unexpectedCharacter, 0),
        ("}", .unexpectedCharacter, 0),
        ("['a']", .unexpectedCharacter, 1),
        ("[1]]", .trailingData, 3),
        ("[1] [2]", .trailingData, 4),
        ("1 2", .trailingData, 2),
        ("{}x", .trailingData, 2),
        ("nul", .unexpectedEnd, 3),
        ("nulL", .unexpectedCharacter, 3),
        ("True", .unexpectedCharacter, 0),
        ("tru", .unexpectedEnd, 3),
        ("truex", .trailingData, 4),
        ("[fals]", .unexpectedCharacter, 5),
        ("NaN", .unexpectedCharacter, 0),
        ("[Infinity]", .unexpectedCharacter, 1),
        ("[-Infinity]", .invalidNumber, 2),
        ("undefined", .unexpectedCharacter, 0),
        ("/* c */ 1", .unexpectedCharacter, 0),
        ("[1] // c", .trailingData, 4),
        ("# c\n1", .unexpectedCharacter, 0),
        ("\u{FEFF}1", .unexpectedCharacter, 0),
        ("\u{0B}1", .unexpectedCharacter, 0),
        ("\u{A0}1", .unexpectedCharacter, 0),
        ("[\u{0C}]", .unexpectedCharacter, 1),
        ("01", .leadingZero, 0),
        ("[-01]", .leadingZero, 2),
        ("[00]", .leadingZero, 1),
        ("-", .unexpectedEnd, 1),
        ("[-]", .invalidNumber, 2),
        ("[- 1]", .invalidNumber, 2),
        ("[+1]", .unexpectedCharacter, 1),
        ("[.5]", .unexpectedCharacter, 1),
        ("[1.]", .invalidNumber, 3),
        ("[1.e5]", .invalidNumber, 3),
        ("[1e]", .invalidNumber, 3),
        ("[1e+]", .invalidNumber, 4),
        ("[1e+-2]", .invalidNumber, 4),
        ("[0x10]", .unexpectedCharacter, 2),
        ("[1.5.5]", .unexpectedCharacter, 4),
        ("[1_000]", .unexpectedCharacter, 2),
        ("1e", .unexpectedEnd, 2),
        ("1.", .unexpectedEnd, 2),
        ("[1e400]", .numberOutOfRange, 1),
        ("[-1e400]", .numberOutOfRange, 1),
        ("\"\\x41\"", .invalidEscape, 1),
        ("\"\\a\"", .invalidEscape, 1),
        ("\"\\U0041\"", .invalidEscape, 1),
        ("\"\\u00G1\"", .invalidEscape, 5),
        ("\"\\u12\"", .invalidEscape, 5),
        ("\"\\u12", .unexpectedEnd, 5),
        ("\"\\", .unexpectedEnd, 2),
        ("\"\\'\"", .invalidEscape, 1),
        ("\"\\uD800\"", .loneSurrogate, 1),
        ("\"\\uDC00\"", .loneSurrogate, 1),
        ("\"\\uD800\\u0041\"", .loneSurrogate, 1),
        ("\"\\uD800\\uD800\"", .loneSurrogate, 1),
        ("\"\\uD800\\n\"", .loneSurrogate, 1),
        ("\"a\\uDFFFb\"", .loneSurrogate, 2),
        ("\"\\uD800", .loneSurrogate, 1),
        ("\"a\tb\"", .controlCharacter, 2),
        ("\"a\nb\"", .controlCharacter, 2),
        ("\"\u{0}\"", .controlCharacter, 1),
        ("\"\u{1F}\"", .controlCharacter, 1),
        ("{\"a\":1,\"a\":2}", .duplicateKey, 7),
        ("{\"a\":1,\"b\":{\"a\":2,\"a\":3}}", .duplicateKey, 18),
        ("{\"\\u0061\":1,\"a\":2}", .duplicateKey, 12),
    ]

    @Test(arguments: cases)
    func rejectsInvalidDocument(_ text: String, _ reason: JSONError.Reason, _ offset: Int) {
        #expect(throws: JSONError(reason, at: offset)) { try JSONParser.parse(text) }
    }

    @Test func rejectsADuplicateKeyInALargeObject() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" } + ["\"k7\":0"]
        let text = "{" + members.joined(separator: ",") + "}"
        #expect(throws: JSONError(.duplicateKey, at: text.utf8.count - 7)) { try JSONParser.parse(text) }
    }

    @Test(arguments: [10_000, 100_000])
    func rejectsDeepNestingWithoutExhaustingTheStack(_ depth: Int) {
        let arrays = [UInt8](repeating: ASCII.openBracket, count: depth)
        #expect(throws: JSONError(.tooDeep, at: 64)) { try JSONParser.parse(arrays) }
        let objects = Array(String(repeating: "{\"a\":", count: depth).utf8)
        #expect(throws: JSONError(.tooDeep, at: 64 * 5)) { try JSONParser.parse(objects) }
    }

    @Test func rejectsOneLevelPastTheLimit() {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONError(.tooDeep, at: 64)) { try JSONParser.parse(text) }
    }

    @Test func rejectsABufferWithoutStorage() {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(throws: JSONError(.unexpectedEnd, at: 0)) { try JSONParser.parse(empty) }
    }

    @Test func describesTheErrorBriefly() {
        let error = JSONError(.duplicateKey, at: 7)
        #expect(error.reason == "duplicate_key")
        #expect(error.description == "duplicate_key at byte 7")
    }
}
