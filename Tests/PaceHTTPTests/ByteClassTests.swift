import Testing
@testable import PaceHTTP

/// The bit-mask classes against the RFC grammar written out as sets.
struct ByteClassTests {
    private static let alphaDigit = Set(bytes("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))

    @Test func tokenIsTchar() {
        let tchar = Self.alphaDigit.union(bytes("!#$%&'*+-.^_`|~"))
        for byte in UInt8.min...UInt8.max {
            #expect(ByteClass.isToken(byte) == tchar.contains(byte), "byte \(byte)")
        }
    }

    @Test func boundaryIsBchars() {
        let bchars = Self.alphaDigit.union(bytes("'()+_,-./:=? "))
        for byte in UInt8.min...UInt8.max {
            #expect(ByteClass.isBoundary(byte) == bchars.contains(byte), "byte \(byte)")
        }
    }

    @Test func attributeCharIsRFC8187AttrChar() {
        let attrChar = Self.alphaDigit.union(bytes("!#$&+-.^_`|~"))
        for byte in UInt8.min...UInt8.max {
            #expect(ByteClass.isAttributeChar(byte) == attrChar.contains(byte), "byte \(byte)")
        }
    }

    @Test func regNameIsUnreservedSubDelimsAndPercent() {
        let regName = Self.alphaDigit.union(bytes("-._~!$&'()*+,;=%"))
        for byte in UInt8.min...UInt8.max {
            #expect(ByteClass.isRegName(byte) == regName.contains(byte), "byte \(byte)")
        }
    }

    @Test func fieldValueIsVcharObsTextAndWhitespace() {
        for byte in UInt8.min...UInt8.max {
            let expected = byte == 0x09 || (0x20...0x7E).contains(byte) || byte >= 0x80
            #expect(ByteClass.isFieldValue(byte) == expected, "byte \(byte)")
        }
    }

    @Test func targetIsVisibleAsciiWithoutHash() {
        for byte in UInt8.min...UInt8.max {
            let expected = (0x21...0x7E).contains(byte) && byte != 0x23
            #expect(ByteClass.isTarget(byte) == expected, "byte \(byte)")
        }
    }

    @Test func hexValues() {
        let digits = bytes("0123456789abcdef")
        for byte in UInt8.min...UInt8.max {
            let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            let expected = digits.firstIndex(of: lower).map { UInt8($0) }
            #expect(ByteClass.hexValue(byte) == expected, "byte \(byte)")
        }
    }

    @Test func methodNamesPackToTheirMethods() {
        for method in HTTPMethod.allCases {
            let key = method.name.withUTF8Buffer { $0.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
            #expect(HTTPMethod.fromPackedName(key) == method)
            #expect(method.name.utf8CodeUnitCount <= HTTPMethod.maxNameLength)
        }
    }
}

/// The eight-byte field value test against the byte-by-byte one.
struct SWARTests {
    @Test func agreesWithTheByteTestOnEverySingleBadByte() {
        for byte in UInt8.min...UInt8.max {
            for position in 0..<8 {
                var word = [UInt8](repeating: 0x61, count: 8)
                word[position] = byte
                let packed = word.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(SWAR.allFieldValueBytes(packed) == (ByteClass.isFieldValue(byte) && byte != 0x09),
                        "byte \(byte) at \(position)")
            }
        }
    }

    @Test func agreesOnRandomWords() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let word = generator.next() as UInt64
            let expected = (0..<8).allSatisfy { shift in
                let byte = UInt8(truncatingIfNeeded: word >> (UInt64(shift) * 8))
                return byte >= 0x20 && byte != 0x7F
            }
            #expect(SWAR.allFieldValueBytes(word) == expected)
        }
    }
}
