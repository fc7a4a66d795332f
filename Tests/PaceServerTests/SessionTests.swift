import PaceServer
import PaceTestSupport
import Testing

@Suite("HTTP session over in-memory connections")
struct SessionTests {
    @Test func pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws {
        try withEmbeddedServer { server in
            let client = server.client()
            client.send("GET /slow/80 HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthird")
            #expect(client.readResponse()?.text == "/slow/80")
            #expect(client.readResponse()?.text == "/second")
            #expect(client.readResponse()?.text == "third")
        }
    }

    @Test func pipelinedRequestsSplitAtEveryByteAreAnsweredInOrder() throws {
        let wire = Array("GET /one HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n".utf8)
        try withEmbeddedServer { server in
            for split in stride(from: 1, to: wire.count, by: 7) {
                let client = server.client()
                client.send(Array(wire[0..<split]))
                server.embedded.step()
                client.send(Array(wire[split...]))
                #expect(client.readResponse()?.text == "/one")
                #expect(client.readResponse()?.text == "two", "split at \(split)")
            }
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        try withEmbeddedServer { server in
            let client = server.client()
            client.send("GET /x HTTP/1.0\r\n\r\n")
            #expect(client.readResponse()?.header("connection") == "close")
            #expect(client.readsEOF())
            let kept = server.client()
            kept.send("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(kept.readResponse()?.header("connection") == "keep-alive")
            kept.send("GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(kept.readResponse()?.text == "/y")
        }
    }

    @Test func headAnswersWithoutABody() throws {
        try withEmbeddedServer { server in
            let client = server.client()
            client.send("HEAD /abc HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try #require(client.readResponse(headRequest: true))
            #expect(head.header("content-length") == "4")
            #expect(head.body.isEmpty)
            #expect(client.readResponse()?.text == "/next")
        }
    }

    @Test func expectContinueGetsAnInterimResponse() throws {
        try withEmbeddedServer { server in
            let client = server.client()
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            #expect(client.readResponse()?.status == 100)
            client.send("body")
            #expect(client.readResponse()?.text == "body")
        }
    }

    @Test func aBodyOverTheRouteLimitIs413BeforeItIsRead() throws {
        try withEmbeddedServer { server in
            let client = server.client()
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 413)
            #expect(response.text.contains("\"payload_too_large\""))
            #expect(client.readsEOF())
        }
    }

    @Test func aChunkedBodyGrowingPastTheLimitIs413() throws {
        try withEmbeddedServer { server in
            let client = server.client()
            let chunk = String(repeating: "a", count: 600)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n")
            #expect(client.readResponse()?.status == 413)
        }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\n Folded: yes\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-A: b\r\n", count: 101) + "\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: x\r\nBad\u{1}Name: v\r\n\r\n", 400),
    ])
    func aBadRequestIsRejectedAndTheServerKeepsServing(request: String, status: Int) throws {
        try withEmbeddedServer { server in
            let bad = server.client()
            bad.send(request)
            let response = try #require(bad.readResponse())
            #expect(response.status == status)
            #expect(response.header("connection") == "close")
            #expect(response.text.hasPrefix("{\"error\":{\"code\":"))
            #expect(bad.readsEOF())
            let good = server.client()
            good.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(good.readResponse()?.text == "/ok")
        }
    }

    @Test func aSlowClientIsCutOffByTheHeaderDeadline() throws {
        try withEmbeddedServer({ $0.headerTimeoutMilliseconds = 200 }) { server in
            let client = server.client()
            client.send("GET / HTTP/1.1\r\nHost: x\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 408)
            #expect(client.readsEOF())
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedQuietly() throws {
        try withEmbeddedServer({ $0.keepAliveTimeoutMilliseconds = 150 }) { server in
            let client = server.client()
            client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
            #expect(client.readsEOF())
        }
    }

    @Test func halfClosedClientStillGetsItsResponse() throws {
        try withEmbeddedServer { server in
            let client = server.client()
            client.send("GET /slow/50 HTTP/1.1\r\nHost: x\r\n\r\n")
            client.shutdownWrite()
            #expect(client.readResponse()?.text == "/slow/50")
            #expect(client.readsEOF())
        }
    }

    @Test func aSlowReaderGetsEveryResponseAsItTakesOutput() throws {
        try withEmbeddedServer { server in
            let client = server.client(window: 4096)
            client.send(String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: 5))
            for _ in 0..<5 { #expect(client.readResponse()?.body.count == 64 * 1024) }
        }
    }

    @Test func aPeerThatNeverReadsIsDroppedAtTheOutboundLimit() throws {
        try withEmbeddedServer({ $0.outboundLimit = 512 * 1024 }) { server in
            let client = server.client(window: 4096)
            client.send(String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: 200))
            #expect(server.embedded.step(until: { server.embedded.openConnections == 0 }))
            #expect(client.transport.isClosed)
        }
    }
}
