import Testing
@testable import PaceJSON

/// The writer's separators, scalars, escaping and buffer reuse.
struct WriterTests {
    private func text(_ writer: JSONWriter) -> String {
        String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func placesCommasAndColonsItself() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a")
        writer.int(1)
        writer.key("b")
        writer.beginArray()
        writer.string("x")
        writer.beginObject()
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.null()
        writer.endArray()
        writer.key("c")
        writer.bool(true)
        writer.key("d")
        writer.bool(false)
        writer.endObject()
        #expect(text(writer) == #"{"a":1,"b":["x",{},[],null],"c":true,"d":false}"#)
    }

    static let escapes: [(String, String)] = [
        ("", #""""#),
        ("plain", #""plain""#),
        ("q\"b\\s/", #""q\"b\\s/""#),
        ("\n\r\t\u{8}\u{c}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("a\u{2028}b\u{2029}c", #""a\u2028b\u2029c""#),
        ("\u{2027}\u{202A}", "\"\u{2027}\u{202A}\""),
        ("é😀中", "\"é😀中\""),
        ("\u{2028}", #""\u2028""#),
        ("x\u{2000}\u{E2}", "\"x\u{2000}\u{E2}\""),
    ]

    @Test(arguments: escapes)
    func escapesOnlyWhatItMust(_ input: String, _ expected: String) {
        var writer = JSONWriter()
        writer.string(input)
        #expect(text(writer) == expected)
    }

    @Test func escapesKeysToo() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a\"b")
        writer.null()
        writer.endObject()
        #expect(text(writer) == #"{"a\"b":null}"#)
    }

    @Test(arguments: [(Int64(0), "0"), (9, "9"), (10, "10"), (-1, "-1"), (1_000_000, "1000000"),
                      (.max, "9223372036854775807"), (.min, "-9223372036854775808")])
    func writesIntegers(_ number: Int64, _ expected: String) {
        var writer = JSONWriter()
        writer.int(number)
        #expect(text(writer) == expected)
    }

    @Test func writesPlatformInts() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(Int(42))
        writer.int(Int(-3))
        writer.endArray()
        #expect(text(writer) == "[42,-3]")
    }

    @Test(arguments: [(0.5, "0.5"), (-2.0, "-2.0"), (0.1, "0.1"), (1e300, "1e+300"),
                      (.leastNonzeroMagnitude, "5e-324"), (.infinity, "null"), (-.infinity, "null"), (.nan, "null")])
    func writesDoublesAsShortestText(_ number: Double, _ expected: String) {
        var writer = JSONWriter()
        writer.double(number)
        #expect(text(writer) == expected)
    }

    @Test func writesOptionalsAsNull() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.stringOrNull(nil)
        writer.stringOrNull("s")
        writer.intOrNull(nil)
        writer.intOrNull(3)
        writer.timestampOrNull(milliseconds: nil)
        writer.timestampOrNull(milliseconds: 0)
        writer.endArray()
        #expect(text(writer) == #"[null,"s",null,3,null,"1970-01-01T00:00:00.000Z"]"#)
    }

    @Test func writesTimestampsInPlace() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("created_at")
        writer.timestamp(milliseconds: 1_795_255_200_123)
        writer.endObject()
        #expect(text(writer) == #"{"created_at":"2026-11-21T10:00:00.123Z"}"#)
    }

    @Test func splicesRawFragmentsAsValues() {
        var message = JSONWriter()
        message.beginObject()
        message.key("id")
        message.string("m1")
        message.endObject()
        let encoded = message.bytes

        var event = JSONWriter()
        event.beginObject()
        event.key("type")
        event.string("message.new")
        event.key("message")
        event.raw(encoded)
        event.key("copies")
        event.beginArray()
        event.raw(encoded)
        encoded.withUnsafeBytes { event.raw($0) }
        event.endArray()
        event.endObject()
        #expect(text(event) == #"{"type":"message.new","message":{"id":"m1"},"copies":[{"id":"m1"},{"id":"m1"}]}"#)
    }

    @Test func resetKeepsCapacityAndForgetsState() {
        var writer = JSONWriter(capacity: 1024)
        writer.beginArray()
        writer.int(1)
        writer.endArray()
        let capacity = writer.bytes.capacity
        writer.reset()
        #expect(writer.bytes.isEmpty)
        #expect(writer.bytes.capacity == capacity)
        writer.int(2)
        #expect(text(writer) == "2")
    }

    @Test func reservesCapacity() {
        var writer = JSONWriter()
        writer.reserveCapacity(4096)
        #expect(writer.bytes.capacity >= 4096)
    }

    @Test func writesValuesBackInOrder() {
        let value: JSONValue = ["z": [1, 2.5, "s", nil, true, [:]], "a": -0.0]
        var writer = JSONWriter()
        writer.value(value)
        #expect(text(writer) == #"{"z":[1,2.5,"s",null,true,{}],"a":-0.0}"#)
    }
}
