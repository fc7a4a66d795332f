import Testing
@testable import PaceBench

@Suite struct UpgradeRequestTests {
    private let accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    private func check(_ text: String) -> UpgradeRequest.Response {
        withFrame(text) { UpgradeRequest.check($0, expectedAccept: accept) }
    }

    @Test func computesTheRFCSampleAccept() {
        #expect(UpgradeRequest.expectedAccept(key: "dGhlIHNhbXBsZSBub25jZQ==") == accept)
        let key = UpgradeRequest.randomKey()
        #expect(key.utf8.count == 24 && key.hasSuffix("=="))
        #expect(key != UpgradeRequest.randomKey())
    }

    @Test func buildsTheRequestWithTheTokenInTheQuery() {
        let head = String(decoding: UpgradeRequest.head(host: "127.0.0.1", port: 8080, path: "/api/v1/ws",
                                                        token: "a.b-c_d~e+f/g=", key: "K"), as: UTF8.self)
        #expect(head.hasPrefix("GET /api/v1/ws?access_token=a.b-c_d~e%2Bf%2Fg%3D HTTP/1.1\r\n"))
        #expect(head.contains("\r\nHost: 127.0.0.1:8080\r\n"))
        #expect(head.contains("\r\nSec-WebSocket-Key: K\r\nSec-WebSocket-Version: 13\r\n\r\n"))
        let withQuery = String(decoding: UpgradeRequest.head(host: "h", port: 1, path: "/ws?since=5",
                                                             token: "t", key: "K"), as: UTF8.self)
        #expect(withQuery.hasPrefix("GET /ws?since=5&access_token=t HTTP/1.1\r\n"))
        #expect(!head.contains("Sec-WebSocket-Extensions"))
        let deflate = String(decoding: UpgradeRequest.head(host: "h", port: 1, path: "/ws", token: "t", key: "K",
                                                           deflate: true), as: UTF8.self)
        #expect(deflate.hasSuffix("\r\nSec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n\r\n"))
    }

    @Test func acceptsA101WithTheRightAcceptInAnyHeaderCase() {
        let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nsec-websocket-ACCEPT:  \(accept) \r\n\r\n"
        #expect(check(head) == .accepted(headLength: head.utf8.count))
        #expect(check(head + "\u{81}\u{02}hi") == .accepted(headLength: head.utf8.count))
    }

    @Test func waitsForTheWholeHead() {
        #expect(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n") == .incomplete)
        #expect(check("") == .incomplete)
    }

    @Test func rejectsEverythingElse() {
        #expect(check("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
                == .rejected(status: 401, reason: "HTTP/1.1 401 Unauthorized"))
        #expect(check("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n")
                == .rejected(status: 101, reason: "wrong or missing Sec-WebSocket-Accept"))
        #expect(check("HTTP/1.1 101 Switching Protocols\r\n\r\n")
                == .rejected(status: 101, reason: "wrong or missing Sec-WebSocket-Accept"))
        #expect(check("SSH-2.0-OpenSSH\r\n\r\n") == .rejected(status: nil, reason: "not an HTTP response"))
        #expect(check(String(repeating: "x", count: UpgradeRequest.maxHeadLength + 1))
                == .rejected(status: nil, reason: "response head too long"))
    }
}
