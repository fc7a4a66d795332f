import Testing
@testable import PaceHTTP

struct ResponseHeadTests {
    private static let date = HTTPDate.imfFixdate(epochSeconds: 784_111_777)

    private static func written(_ build: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        build(&out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func okWithLength() {
        let text = Self.written { ResponseHead(status: 200, contentLength: 2).write(to: &$0, date: Self.date) }
        #expect(text == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\n")
    }

    @Test(arguments: [204, 304, 101, 100])
    func noLengthWhereTheStatusForbidsABody(_ status: Int) {
        let text = Self.written { ResponseHead(status: status, contentLength: 10).write(to: &$0, date: Self.date) }
        #expect(!text.contains("Content-Length"))
        #expect(text.hasPrefix("HTTP/1.1 \(status) \(HTTPStatus.reasonPhrase(status))\r\n"))
    }

    @Test func noLengthWhenNil() {
        let text = Self.written { ResponseHead(status: 200, contentLength: nil).write(to: &$0, date: Self.date) }
        #expect(!text.contains("Content-Length"))
    }

    @Test func closeAndKeepAlive() {
        let close = Self.written {
            ResponseHead(status: 400, contentLength: 0, closeConnection: true, announceKeepAlive: true).write(to: &$0, date: Self.date)
        }
        #expect(close.hasSuffix("Content-Length: 0\r\nConnection: close\r\n\r\n"))
        #expect(close.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        let keep = Self.written {
            ResponseHead(status: 200, contentLength: 0, announceKeepAlive: true).write(to: &$0, date: Self.date)
        }
        #expect(keep.hasSuffix("Connection: keep-alive\r\n\r\n"))
    }

    @Test func extraHeadersOfEveryKind() {
        let text = Self.written { out in
            ResponseHead(status: 201, contentLength: 7).appendStart(to: &out, date: Self.date)
            ResponseHead.appendHeader("Content-Type", "application/json", to: &out)
            ResponseHead.appendHeader("X-Name", String("ünï"), to: &out)
            ResponseHead.appendHeader("ETag", bytes: bytes("\"abc\""), to: &out)
            ResponseHead.appendHeader("Retry-After", 120, to: &out)
            ResponseHead.appendHeader("X-Neg", -5, to: &out)
            #expect(ResponseHead.appendHeader(name: "X-Dynamic", value: "v", to: &out))
            ResponseHead.appendEnd(to: &out)
        }
        #expect(text == "HTTP/1.1 201 Created\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 7\r\n"
            + "Content-Type: application/json\r\nX-Name: ünï\r\nETag: \"abc\"\r\nRetry-After: 120\r\nX-Neg: -5\r\n"
            + "X-Dynamic: v\r\n\r\n")
    }

    @Test func valuesCannotInjectLines() {
        let text = Self.written { out in
            ResponseHead.appendHeader("Location", "/a\r\nSet-Cookie: x=1\0\u{7F}", to: &out)
            ResponseHead.appendHeader("X", bytes: [0x61, 0x0A, 0x62, 0x09, 0x63], to: &out)
        }
        #expect(text == "Location: /a  Set-Cookie: x=1  \r\nX: a b\tc\r\n")
    }

    @Test(arguments: ["", "Bad Name", "X:Y", "Ünï", "A\r\nB"])
    func invalidDynamicNamesAreRefused(_ name: String) {
        var out: [UInt8] = []
        #expect(!ResponseHead.appendHeader(name: name, value: "v", to: &out))
        #expect(out.isEmpty)
    }

    @Test func unknownAndInvalidStatuses() {
        let unknown = Self.written { ResponseHead(status: 599, contentLength: nil).write(to: &$0, date: Self.date) }
        #expect(unknown.hasPrefix("HTTP/1.1 599 \r\n"))
        let invalid = Self.written { ResponseHead(status: 42, contentLength: nil).write(to: &$0, date: Self.date) }
        #expect(invalid.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
    }

    @Test func largeLengthsAreWrittenInFull() {
        let text = Self.written { ResponseHead(status: 200, contentLength: Int.max).write(to: &$0, date: Self.date) }
        #expect(text.contains("Content-Length: 9223372036854775807\r\n"))
    }

    @Test func appendsWithoutReallocatingWhenThereIsCapacity() {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        let base = out.withUnsafeBufferPointer { $0.baseAddress }
        ResponseHead(status: 200, contentLength: 15).appendStart(to: &out, date: Self.date)
        ResponseHead.appendHeader("Content-Type", "text/plain", to: &out)
        ResponseHead.appendEnd(to: &out)
        #expect(out.withUnsafeBufferPointer { $0.baseAddress } == base)
    }

    @Test func everyParseErrorStatusHasAReason() {
        for error in HTTPParseError.allCases {
            #expect(!HTTPStatus.reasonPhrase(error.status).description.isEmpty)
        }
    }
}
