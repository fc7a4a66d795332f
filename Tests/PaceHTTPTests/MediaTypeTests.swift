import Testing
@testable import PaceHTTP

@Suite("Media types, dispositions and extended values")
struct MediaTypeTests {
    @Test(arguments: [
        ("image/PNG", "image/png"),
        ("text/plain; charset=UTF-8", "text/plain; charset=UTF-8"),
        (" application/json ;charset=\"utf-8\"", "application/json; charset=utf-8"),
        ("multipart/form-data; boundary=\"a b\"", "multipart/form-data; boundary=\"a b\""),
        ("image/png;", "image/png"),
    ])
    func validMediaTypesAreNormalized(_ input: String, _ expected: String) {
        #expect(MediaType(input)?.text == expected)
    }

    @Test(arguments: ["", "image", "image/", "/png", "image/png; charset", "text/plain; a=\"x",
                      "text/pl ain", "te\u{7}xt/plain", "image/png; a=b\u{0}", String(repeating: "a", count: 300) + "/b"])
    func invalidMediaTypesAreRefused(_ input: String) {
        #expect(MediaType(input) == nil)
    }

    @Test func boundariesFollowRFC2046() {
        #expect(MediaType("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk")?.boundary
            == Array("----WebKitFormBoundary7MA4YWxk".utf8))
        #expect(MediaType("multipart/form-data")?.boundary == nil)
        #expect(MediaType("multipart/form-data; boundary=\"ends with space \"")?.boundary == nil)
        #expect(MediaType("multipart/form-data; boundary=" + String(repeating: "a", count: 71))?.boundary == nil)
        #expect(MediaType("multipart/form-data; boundary=\"a\\\"b\"")?.boundary == nil)
    }

    @Test func dispositionsAreRFC5987Encoded() {
        #expect(ContentDisposition.value(attachment: true, filename: "naïve \"résumé\".html")
            == "attachment; filename=\"na_ve _r_sum__.html\"; filename*=UTF-8''na%C3%AFve%20%22r%C3%A9sum%C3%A9%22.html")
        #expect(ContentDisposition.value(attachment: false, filename: "a.png") == "inline; filename=\"a.png\"; filename*=UTF-8''a.png")
    }

    @Test(arguments: [
        ("UTF-8''%C3%A9t%C3%A9.txt", "\u{E9}t\u{E9}.txt"),
        ("utf-8'en'a%20b", "a b"),
        ("UTF-8''plain", "plain"),
    ])
    func extendedValuesDecode(_ input: String, _ expected: String) {
        #expect(PercentDecoding.decodeExtendedValue(input.utf8) == expected)
    }

    @Test(arguments: ["ISO-8859-1''caf%E9", "UTF-8'no-second-quote", "UTF-8''bad%G1", "UTF-8''%FF", "UTF-8''a%00b", "noquotes"])
    func badExtendedValuesAreRefused(_ input: String) {
        #expect(PercentDecoding.decodeExtendedValue(input.utf8) == nil)
    }

    @Test(arguments: [("", [UInt8]()), ("00ff", [0x00, 0xFF]), ("ABcd", [0xAB, 0xCD])] as [(String, [UInt8])])
    func hexDecodes(_ input: String, _ expected: [UInt8]) {
        #expect(HexDecoding.bytes(input.utf8) == expected)
    }

    @Test(arguments: ["0", "abc", "0g", "zz"])
    func badHexIsRefused(_ input: String) {
        #expect(HexDecoding.bytes(input.utf8) == nil)
    }
}
