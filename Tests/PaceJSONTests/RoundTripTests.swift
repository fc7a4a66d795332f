import Testing
@testable import PaceJSON

/// parse → write → parse gives back the same value, and writing is stable after one pass.
struct RoundTripTests {
    static let documents: [String] = [
        "null", "true", "[]", "{}", "0", "-0", "-9223372036854775808", "9223372036854775808",
        "1.5e300", "0.1", "123456789.123456789", "\"\"",
        #""\u0000\u001f\"\\\/\b\f\n\r\t \u2028\u2029 é 😀 \ud83d\ude00""#,
        #"{"type":"message.send","ref":"r1","conversation_id":"c_01HZY","body":"hi \u00e9","client_id":null,"attachment_ids":["u1","u2"]}"#,
        #"[[[[{"a":[{"b":[]}]}]]],{"":{"":{}}},[1,-1,1e-7,true,false,null]]"#,
    ]

    @Test(arguments: documents)
    func roundTripsExactly(_ text: String) throws {
        let value = try JSONParser.parse(text)
        var writer = JSONWriter()
        writer.value(value)
        let first = writer.bytes
        #expect(try JSONParser.parse(first) == value)
        writer.reset()
        writer.value(try JSONParser.parse(first))
        #expect(writer.bytes == first)
    }

    @Test func roundTripsEveryBMPScalarAndSomeAstralOnes() throws {
        var scalars: [Unicode.Scalar] = []
        for code in UInt32(0)...0x10FFFF where code < 0x3000 || code % 997 == 0 {
            if let scalar = Unicode.Scalar(code) { scalars.append(scalar) }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        var writer = JSONWriter()
        writer.string(text)
        let parsed = try JSONParser.parse(writer.bytes)
        #expect(parsed.stringValue?.unicodeScalars.elementsEqual(text.unicodeScalars) == true)
    }
}
