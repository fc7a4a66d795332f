import Testing
@testable import PaceJSON

/// Documents RFC 8259 accepts (JSONTestSuite's `y_` category) and the values they must produce.
struct ParserAcceptTests {
    static let cases: [(String, JSONValue)] = [
        ("null", nil),
        ("true", true),
        ("false", false),
        ("0", 0),
        ("-1", -1),
        ("\"\"", ""),
        ("\"abc\"", "abc"),
        ("[]", []),
        ("{}", [:]),
        (" [] ", []),
        ("\t\r\n 1 \n", 1),
        ("[null]", [nil]),
        ("[1,2,3]", [1, 2, 3]),
        ("[ 1 , 2 ]", [1, 2]),
        ("[[], {}, [[]]]", [[], [:], [[]]]),
        ("[\"a\",[\"b\",{\"c\":[]}]]", ["a", ["b", ["c": []]]]),
        ("{\"a\":1}", ["a": 1]),
        ("{ \"a\" : 1 , \"b\" : [true, false, null] }", ["a": 1, "b": [true, false, nil]]),
        ("{\"\":0}", ["": 0]),
        ("{\"a\":{\"a\":{\"a\":1}}}", ["a": ["a": ["a": 1]]]),
        ("{\"a\":1,\"A\":2}", ["a": 1, "A": 2]),
        ("{\"z\":1,\"a\":2}", ["z": 1, "a": 2]),
        ("[1.5]", [1.5]),
        ("[-0.25e+2]", [-25.0]),
        ("[1E2]", [100.0]),
        ("[1e-2]", [0.01]),
        ("[0.0]", [0.0]),
        ("[123e65]", [123e65]),
        ("\"\\u0000\"", "\u{0}"),
        ("\"\\/\"", "/"),
        ("\"\\\"\\\\\\b\\f\\n\\r\\t\"", "\"\\\u{8}\u{c}\n\r\t"),
        ("\"\\u00e9\\u00E9\"", "éé"),
        ("\"\\uD83D\\uDE00\"", "😀"),
        ("\"\\uDBFF\\uDFFF\"", "\u{10FFFF}"),
        ("\"é😀中\"", "é😀中"),
        ("\"\u{7F}\"", "\u{7F}"),
        ("\"\u{2028}\u{2029}\"", "\u{2028}\u{2029}"),
        ("\"a\\nb\\u0041c\"", "a\nbAc"),
    ]

    @Test(arguments: cases)
    func acceptsValidDocument(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test func keepsObjectMemberOrder() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":2,"c":3}"#)
        #expect(value.objectValue?.map(\.key) == ["b", "a", "c"])
    }

    @Test func acceptsObjectsLargeEnoughToUseTheKeySet() throws {
        let keys = (0..<100).map { "k\($0)" }
        let text = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.map(\.key) == keys)
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let value = try JSONParser.parse(text)
        var depth = 0
        var current = value
        while let elements = current.arrayValue {
            depth += 1
            guard let first = elements.first else { break }
            current = first
        }
        #expect(depth == 64)
    }

    @Test func honoursACustomDepthLimit() throws {
        let text = "{\"a\":{\"b\":{\"c\":1}}}"
        #expect(try JSONParser.parse(text, maxDepth: 3) == ["a": ["b": ["c": 1]]])
        #expect(throws: JSONError(.tooDeep, at: 10)) { try JSONParser.parse(text, maxDepth: 2) }
    }

    @Test func parsesFromARawBufferThatIsASlice() throws {
        let bytes = Array("xx[1,2]yy".utf8)
        let value = try bytes.withUnsafeBytes { buffer in
            try JSONParser.parse(UnsafeRawBufferPointer(rebasing: buffer[2..<7]))
        }
        #expect(value == [1, 2])
    }

    @Test func accessorsAnswerOnlyForTheirOwnKind() throws {
        let value = try JSONParser.parse(#"{"s":"x","i":7,"d":2.0,"f":2.5,"b":true,"a":[1],"n":null}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.int64Value == 7)
        #expect(value["d"]?.int64Value == 2)
        #expect(value["f"]?.int64Value == nil)
        #expect(value["f"]?.doubleValue == 2.5)
        #expect(value["i"]?.stringValue == nil)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["n"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["s"] == nil)
        #expect(value.objectValue?.count == 7)
        #expect(value.arrayValue == nil)
    }
}
