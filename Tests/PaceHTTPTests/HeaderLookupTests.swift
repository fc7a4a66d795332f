import Testing
@testable import PaceHTTP

struct HeaderLookupTests {
    private static let request = bytes(
        "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, ,Upgrade\t\r\nUPGRADE: WebSocket\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-List: one\r\nx-list: Two , three\r\n\r\n")

    private static func withParsed(_ body: (UnsafeRawBufferPointer, [HTTPHeaderField]) -> Void) {
        var parser = RequestHeadParser()
        var headers: [HTTPHeaderField] = []
        request.withUnsafeBytes { buffer in
            _ = parser.parse(buffer, into: &headers)
            body(buffer, headers)
        }
    }

    @Test func findsFieldsIgnoringCase() {
        Self.withParsed { buffer, headers in
            #expect(HeaderLookup.field(named: "upgrade", in: headers, buffer: buffer) == headers[2])
            #expect(HeaderLookup.field(named: "Sec-WebSocket-Accept", in: headers, buffer: buffer) == nil)
            let key = HeaderLookup.value(named: "sec-websocket-key", in: headers, buffer: buffer)
            #expect(key.map { Array($0) } == bytes("dGhlIHNhbXBsZSBub25jZQ=="))
            #expect(HeaderLookup.string(buffer, headers[2].value) == "WebSocket")
        }
    }

    @Test func tokenListsIgnoreCaseWhitespaceAndEmptyElements() {
        Self.withParsed { buffer, headers in
            let connection = headers[1].value
            #expect(HeaderLookup.listContains(buffer, connection, token: "upgrade"))
            #expect(HeaderLookup.listContains(buffer, connection, token: "Keep-Alive"))
            #expect(!HeaderLookup.listContains(buffer, connection, token: "close"))
            #expect(!HeaderLookup.listContains(buffer, connection, token: "upgrad"))
            #expect(!HeaderLookup.listContains(buffer, connection, token: "keep"))
        }
    }

    @Test func listsSpreadOverSeveralLines() {
        Self.withParsed { buffer, headers in
            #expect(HeaderLookup.anyListContains(named: "X-List", token: "three", in: headers, buffer: buffer))
            #expect(HeaderLookup.anyListContains(named: "x-list", token: "ONE", in: headers, buffer: buffer))
            #expect(!HeaderLookup.anyListContains(named: "x-list", token: "four", in: headers, buffer: buffer))
        }
    }

    @Test func rangesOutsideTheBufferAnswerNothing() {
        bytes("abc").withUnsafeBytes { buffer in
            #expect(!HeaderLookup.equalsIgnoringCase(buffer, 1..<9, "bcdefghi"))
            #expect(!HeaderLookup.listContains(buffer, 0..<9, token: "abc"))
            #expect(HeaderLookup.string(buffer, 2..<5) == "")
            #expect(HeaderLookup.equalsIgnoringCase(buffer, 0..<3, "ABC"))
        }
    }
}
