import Testing
@testable import PaceHTTP

/// Several requests back to back on one connection, parsed in order by the emulated server
/// loop (which compacts its buffer between steps), however the bytes are split into reads.
struct PipeliningTests {
    @Test func threeGetsInOneBuffer() {
        let stream = bytes("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
            + "HEAD /b HTTP/1.1\r\nHost: a\r\n\r\n"
            + "GET /c?d HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let run = ConnectionHarness.consistent(stream)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.prefix(3))")
        #expect(run.outcome == ConnectionOutcome(requests: [
            ReceivedRequest(method: .get, target: "/healthz", keepAlive: true, body: []),
            ReceivedRequest(method: .head, target: "/b", keepAlive: true, body: []),
            ReceivedRequest(method: .get, target: "/c?d", keepAlive: false, body: []),
        ]))
    }

    @Test func requestsWithBodiesOfBothFramings() {
        let stream = bytes("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
            + "PUT /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n"
            + "DELETE /c HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        let run = ConnectionHarness.consistent(stream)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.prefix(3))")
        #expect(run.outcome == ConnectionOutcome(requests: [
            ReceivedRequest(method: .post, target: "/a", keepAlive: true, body: bytes("hello")),
            ReceivedRequest(method: .put, target: "/b", keepAlive: true, body: bytes("abcde")),
            ReceivedRequest(method: .delete, target: "/c", keepAlive: true, body: []),
        ]))
    }

    @Test func emptyLineAfterABodyIsSkipped() {
        let stream = bytes("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok\r\n"
            + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        let run = ConnectionHarness.consistent(stream)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.prefix(3))")
        #expect(run.outcome.requests.map(\.target) == ["/a", "/b"])
    }

    @Test func aBadRequestAfterGoodOnesStopsTheConnection() {
        let stream = bytes("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nBad/Name: x\r\n\r\nGET /c HTTP/1.1\r\n\r\n")
        let run = ConnectionHarness.consistent(stream)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.prefix(3))")
        #expect(run.outcome.requests.map(\.target) == ["/a"])
        #expect(run.outcome.error == .invalidFieldName)
    }

    @Test func anIncompleteLastRequestIsPending() {
        let stream = bytes("GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")
        let run = ConnectionHarness.consistent(stream)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.prefix(3))")
        #expect(run.outcome.requests.map(\.target) == ["/a"])
        #expect(run.outcome.pending)
        #expect(run.outcome.error == nil)
    }

    @Test func http10KeepAliveThenClose() {
        let stream = bytes("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n")
        let run = ConnectionHarness.consistent(stream)
        #expect(run.mismatches.isEmpty, "\(run.mismatches.prefix(3))")
        #expect(run.outcome.requests.map(\.keepAlive) == [true, false])
    }
}
