import PaceCrypto
import PaceTestSupport
import Testing

@Suite("Downloads: ranges, validators, safe types")
struct DownloadTests {
    static let size = 200_000
    let app: TestApp
    let token: String
    let bytes = patterned(size)
    let id: String

    init() throws {
        app = try TestApp()
        token = try app.makeUser("alice").token
        id = try app.uploadID(bytes, contentType: "image/png", query: "?filename=pic.png", token: token)
    }

    private func get(_ headers: [(String, String)] = [], method: String = "GET") throws -> TestResponse {
        try app.request(method, "/api/v1/uploads/\(id)", token: token, headers: headers)
    }

    @Test func theWholeFileCarriesItsHeaders() throws {
        let response = try get()
        #expect(response.status == 200)
        #expect(response.body == bytes)
        #expect(response.header("etag") == "\"\(Hex.encode(Digest.sha256(bytes)))\"")
        #expect(response.header("accept-ranges") == "bytes")
        #expect(response.header("x-content-type-options") == "nosniff")
        #expect(response.header("cache-control") == "private")
        #expect(response.header("content-disposition") == "inline; filename=\"pic.png\"; filename*=UTF-8''pic.png")
    }

    @Test(arguments: [
        ("bytes=0-0", 0, 0),
        ("bytes=\(size - 1)-\(size - 1)", size - 1, size - 1),
        ("bytes=-10", size - 10, size - 1),
        ("bytes=150000-", 150_000, size - 1),
        ("bytes=1000-70000", 1000, 70_000),
        ("bytes=199990-500000", 199_990, size - 1),
    ])
    func singleRangesAre206(_ range: String, _ first: Int, _ last: Int) throws {
        let response = try get([("Range", range)])
        #expect(response.status == 206)
        #expect(response.header("content-range") == "bytes \(first)-\(last)/\(Self.size)")
        #expect(response.header("content-length") == String(last - first + 1))
        #expect(response.body == Array(bytes[first...last]))
    }

    @Test(arguments: ["bytes=\(size)-", "bytes=\(size + 5)-\(size + 10)", "bytes=-0"])
    func rangesPastTheEndAre416(_ range: String) throws {
        let response = try get([("Range", range)])
        #expect(response.status == 416)
        #expect(response.header("content-range") == "bytes */\(Self.size)")
    }

    /// Malformed ranges and multiple ranges are ignored: the whole file, 200.
    @Test(arguments: ["bytes=5-2", "bytes=x-y", "pages=1-2", "bytes=0-1,5-6"])
    func otherRangesGetTheWholeFile(_ range: String) throws {
        let response = try get([("Range", range)])
        #expect(response.status == 200)
        #expect(response.body.count == Self.size)
    }

    @Test func ifRangeAppliesTheRangeOnlyForTheCurrentTag() throws {
        let etag = "\"\(Hex.encode(Digest.sha256(bytes)))\""
        #expect(try get([("Range", "bytes=0-9"), ("If-Range", etag)]).status == 206)
        #expect(try get([("Range", "bytes=0-9"), ("If-Range", "\"stale\"")]).status == 200)
    }

    @Test func aMatchingIfNoneMatchIs304WithoutABody() throws {
        let etag = "\"\(Hex.encode(Digest.sha256(bytes)))\""
        for header in [etag, "\"other\", W/\(etag)", "*"] {
            let response = try get([("If-None-Match", header), ("Range", "bytes=0-1")])
            #expect(response.status == 304)
            #expect(response.body.isEmpty)
            #expect(response.header("etag") == etag)
        }
        #expect(try get([("If-None-Match", "\"other\"")]).status == 200)
    }

    @Test func headHasTheLengthAndNoBody() throws {
        let response = try get(method: "HEAD")
        #expect(response.status == 200)
        #expect(response.header("content-length") == String(Self.size))
        #expect(response.body.isEmpty)
    }

    @Test(arguments: ["text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml",
                      "application/atom+xml", "application/javascript", "text/javascript", "application/x-made-up"])
    func activeContentIsServedAsAnAttachment(_ type: String) throws {
        let uploaded = try app.uploadID(Array("<script>alert(1)</script>".utf8), contentType: type,
                                        query: "?filename=%C3%A9vil%22.html", token: token)
        let response = try app.request("GET", "/api/v1/uploads/\(uploaded)", token: token)
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/octet-stream")
        #expect(response.header("content-disposition") == "attachment; filename=\"_vil_.html\"; filename*=UTF-8''%C3%A9vil%22.html")
        #expect(response.header("x-content-type-options") == "nosniff")
    }
}
