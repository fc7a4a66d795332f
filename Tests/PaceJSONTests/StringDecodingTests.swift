import Testing
@testable import PaceJSON

/// UTF-8 validation per Unicode table 3-7, fed as raw bytes inside a JSON string.
struct StringDecodingTests {
    static let validSequences: [[UInt8]] = [
        [0x7F],
        [0xC2, 0x80],
        [0xDF, 0xBF],
        [0xE0, 0xA0, 0x80],
        [0xE1, 0x80, 0x80],
        [0xEC, 0xBF, 0xBF],
        [0xED, 0x80, 0x80],
        [0xED, 0x9F, 0xBF],
        [0xEE, 0x80, 0x80],
        [0xEF, 0xBF, 0xBF],
        [0xEF, 0xBB, 0xBF],
        [0xF0, 0x90, 0x80, 0x80],
        [0xF1, 0x80, 0x80, 0x80],
        [0xF3, 0xBF, 0xBF, 0xBF],
        [0xF4, 0x8F, 0xBF, 0xBF],
    ]

    static let invalidSequences: [[UInt8]] = [
        [0x80],
        [0xBF],
        [0xC0, 0x80],
        [0xC1, 0xBF],
        [0xC2],
        [0xC2, 0x41],
        [0xC2, 0xC0],
        [0xE0, 0x80, 0x80],
        [0xE0, 0x9F, 0xBF],
        [0xE1, 0x80],
        [0xE1, 0x80, 0x41],
        [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF],
        [0xF0, 0x80, 0x80, 0x80],
        [0xF0, 0x8F, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80, 0x80, 0x80],
        [0xF7, 0xBF, 0xBF, 0xBF],
        [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80],
        [0xFE],
        [0xFF],
        [0xF0, 0x90, 0x80],
        [0xF0, 0x90, 0x80, 0x41],
    ]

    static func quoted(_ content: [UInt8], prefix: String = "") -> [UInt8] {
        [ASCII.quote] + Array(prefix.utf8) + content + [ASCII.quote]
    }

    @Test(arguments: validSequences)
    func acceptsWellFormedSequence(_ sequence: [UInt8]) throws {
        let value = try JSONParser.parse(Self.quoted(sequence))
        #expect(value == .string(String(decoding: sequence, as: UTF8.self)))
        let escaped = try JSONParser.parse(Self.quoted(sequence, prefix: "\\n"))
        #expect(escaped == .string("\n" + String(decoding: sequence, as: UTF8.self)))
    }

    @Test(arguments: invalidSequences)
    func rejectsIllFormedSequence(_ sequence: [UInt8]) {
        #expect(throws: JSONError(.invalidUTF8, at: 2)) { try JSONParser.parse(Self.quoted(sequence, prefix: "a")) }
        #expect(throws: JSONError(.invalidUTF8, at: 3)) { try JSONParser.parse(Self.quoted(sequence, prefix: "\\t")) }
    }

    @Test(arguments: invalidSequences)
    func rejectsIllFormedSequenceInAKey(_ sequence: [UInt8]) {
        let document = [ASCII.openBrace] + Self.quoted(sequence) + Array(":1}".utf8)
        #expect(throws: JSONError(.invalidUTF8, at: 2)) { try JSONParser.parse(document) }
    }

    @Test func rejectsASequenceCutOffByTheEndOfInput() {
        #expect(throws: JSONError(.invalidUTF8, at: 1)) { try JSONParser.parse([ASCII.quote, 0xE2, 0x82]) }
    }

    @Test func decodesEveryEscapeBetweenPlainRuns() throws {
        let text = #""plain \"quoted\" back\\slash \/ \b\f\n\r\t é\u00e9 \ud83d\ude00 end""#
        let value = try JSONParser.parse(text)
        #expect(value == .string("plain \"quoted\" back\\slash / \u{8}\u{c}\n\r\t éé 😀 end"))
    }

    @Test func decodesEscapesInKeys() throws {
        let value = try JSONParser.parse(#"{"a\nb":1,"\u00e9":2}"#)
        #expect(value.objectValue?.map(\.key) == ["a\nb", "é"])
    }

    @Test(arguments: [(UInt32(0x41), "A"), (0xE9, "é"), (0x7FF, "\u{7FF}"), (0x800, "\u{800}"),
                      (0xFFFF, "\u{FFFF}"), (0x10000, "\u{10000}"), (0x10FFFF, "\u{10FFFF}")])
    func encodesEscapedScalarsAsUTF8(_ scalar: UInt32, _ expected: String) throws {
        let escape: String
        if scalar < 0x10000 {
            escape = "\\u" + hex4(scalar)
        } else {
            let offset = scalar - 0x10000
            escape = "\\u" + hex4(0xD800 + (offset >> 10)) + "\\u" + hex4(0xDC00 + (offset & 0x3FF))
        }
        #expect(try JSONParser.parse("\"\(escape)\"") == .string(expected))
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    @Test func keepsAnEscapedNulCharacter() throws {
        let value = try JSONParser.parse(#""a\u0000b""#)
        #expect(value.stringValue?.utf8.count == 3)
    }
}
