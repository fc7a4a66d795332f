import Testing
@testable import PaceCrypto

@Suite struct Base64Tests {
    static let standardUnpadded = Base64(alphabet: .standard, padded: false)
    static let urlPadded = Base64(alphabet: .url, padded: true)
    static let all = [Base64.standard, standardUnpadded, Base64.url, urlPadded]

    /// RFC 4648 §10.
    static let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: rfc4648)
    func standardVectors(_ plain: String, _ encoded: String) {
        #expect(Base64.standard.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.standard.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: rfc4648)
    func unpaddedVectors(_ plain: String, _ encoded: String) {
        let unpadded = String(encoded.filter { $0 != "=" })
        #expect(Base64.url.encode(Array(plain.utf8)) == unpadded)
        #expect(Base64.url.decode(unpadded) == Array(plain.utf8))
        #expect(Self.standardUnpadded.decode(unpadded) == Array(plain.utf8))
        #expect(Self.urlPadded.decode(encoded) == Array(plain.utf8))
    }

    @Test func alphabetsDifferInTheLastTwoSymbols() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf, 0xfb, 0xff]
        #expect(Base64.standard.encode(bytes) == "+/+/+/8=")
        #expect(Base64.url.encode(bytes) == "-_-_-_8")
        #expect(Self.urlPadded.encode(bytes) == "-_-_-_8=")
        #expect(Base64.standard.decode("+/+/+/8=") == bytes)
        #expect(Base64.url.decode("-_-_-_8") == bytes)
    }

    static let standardRejections = [
        "Zg", "Zg=", "Zg===", "Z===", "====", "=", "Z", "Zm9vY", "Zm9v=", "=Zm9",
        "Zg==Zg==", "Zm=v", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", " Zm9v", "Zm9v\r\n", "Zm-_",
        "Zm9\u{0}", "Zm9vé===", "Zm.v",
    ]

    @Test(arguments: standardRejections)
    func standardRejects(_ text: String) {
        #expect(Base64.standard.decode(text) == nil)
        #expect(Base64.standard.decode(Array(text.utf8)) == nil)
    }

    static let urlRejections = [
        "Zg==", "Zg=", "Z", "Zh", "Zm9", "Zm9v\r", "+/8", "Zm9v=", "Zm 9", "\tZm9",
    ]

    @Test(arguments: urlRejections)
    func urlRejects(_ text: String) {
        #expect(Base64.url.decode(text) == nil)
        #expect(Base64.url.decode(Array(text.utf8)) == nil)
    }

    @Test func decodesSubstringsAndBuffers() {
        let text = "xxZm9vYmFyxx"
        let middle = text.dropFirst(2).dropLast(2)
        #expect(Base64.standard.decode(middle) == Array("foobar".utf8))
        Array("Zm9vYg==".utf8).withUnsafeBytes { buffer in
            #expect(Base64.standard.decode(buffer) == Array("foob".utf8))
        }
    }

    @Test(arguments: 0..<48)
    func roundTripsEveryLengthInEveryStyle(_ length: Int) throws {
        let bytes = SecureRandom.bytes(length)
        for style in Self.all {
            let text = style.encode(bytes)
            let expectedLength = style.padded ? (length + 2) / 3 * 4 : (length * 4 + 2) / 3
            #expect(text.utf8.count == expectedLength)
            let decoded = try #require(style.decode(text))
            #expect(decoded == bytes)
        }
    }
}
