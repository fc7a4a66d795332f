import PaceServer
import Testing

/// Webhook and push URLs as Pace's HTTP client reads them, and the requests it writes.
struct OutboundURLTests {
    @Test func parsesOriginAndTarget() throws {
        let url = try #require(OutboundURL("http://Hooks.Example.com:8080/in/abc?x=1#frag"))
        #expect(url.host == "hooks.example.com" && url.port == 8080 && url.target == "/in/abc?x=1" && !url.isTLS)
        #expect(url.origin == "http://hooks.example.com:8080")
        let v6 = try #require(OutboundURL("https://[2001:db8::1]/p"))
        #expect(v6.host == "2001:db8::1" && v6.port == 443 && v6.hostHeader == "[2001:db8::1]" && v6.isTLS)
        #expect(OutboundURL("http://example.com")?.target == "/")
        #expect(OutboundURL("http://example.com?q")?.target == "/?q")
    }

    @Test(arguments: ["ftp://example.com/", "http://user:pw@example.com/", "http://", "http://exa mple.com/",
                      "http://example.com:0/", "http://example.com:99999/", "http://[::1/", "example.com", ""])
    func refuses(_ text: String) {
        #expect(OutboundURL(text) == nil)
    }

    @Test func requestCannotBeSplitByAHeader() throws {
        let url = try #require(OutboundURL("http://example.com/hook"))
        let good = OutboundRequest(url: url, headers: [("X-A", "b")], body: Array("{}".utf8))
        #expect(String(decoding: try #require(good.encode()), as: UTF8.self)
            == "POST /hook HTTP/1.1\r\nX-A: b\r\nHost: example.com\r\nContent-Length: 2\r\n\r\n{}")
        #expect(OutboundRequest(url: url, headers: [("X-A", "b\r\nEvil: 1")]).encode() == nil)
        #expect(OutboundRequest(url: url, headers: [("X A", "b")]).encode() == nil)
    }

    @Test(arguments: [("http://localhost:8080/", true), ("http://127.0.0.1/", true), ("http://127.9.9.9/", true),
                      ("http://[::1]:9000/", true), ("http://127.evil.example/", false), ("http://10.0.0.1/", false),
                      ("http://localhost.example/", false), ("https://0x7f000001/", false)])
    func loopbackHostsAreNamedOrLiteral(text: String, loopback: Bool) throws {
        #expect(try #require(OutboundURL(text)).isLoopbackHost == loopback)
    }
}
