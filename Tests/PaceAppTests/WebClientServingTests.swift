import PaceApp
import PaceDeflate
import Testing

/// The embedded web client as a browser fetches it: types, security headers, revalidation,
/// compression, and nothing outside the catalog.
@Suite("Web client serving")
struct WebClientServingTests {
    @Test func indexCarriesTypeAndSecurityHeaders() throws {
        let app = try TestApp()
        let page = try app.request("GET", "/")
        #expect(page.status == 200)
        #expect(page.header("content-type") == "text/html; charset=utf-8")
        #expect(page.text.contains("<script type=\"module\" src=\"/assets/app.js\"></script>"))
        let policy = try #require(page.header("content-security-policy"))
        #expect(policy.contains("default-src 'none'"))
        #expect(policy.contains("script-src 'self'"))
        #expect(policy.contains("connect-src 'self'"))
        #expect(policy.contains("img-src 'self' blob: data:"))
        #expect(policy.contains("frame-ancestors 'none'"))
        #expect(!policy.contains("unsafe"))
        #expect(page.header("x-content-type-options") == "nosniff")
        #expect(page.header("referrer-policy") == "no-referrer")
        #expect(page.header("x-frame-options") == "DENY")
        #expect(page.header("cache-control") == "no-cache")
    }

    @Test(arguments: [("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8"),
                      ("icon.svg", "image/svg+xml")])
    func assetsHaveTheirTypes(name: String, type: String) throws {
        let app = try TestApp()
        let asset = try app.request("GET", "/assets/\(name)")
        #expect(asset.status == 200)
        #expect(asset.header("content-type") == type)
        #expect(asset.header("x-content-type-options") == "nosniff")
    }

    /// A service worker's scope is at most the directory of its script's path: served under
    /// `/assets/` it could not show notifications for the app at `/`.
    @Test func theServiceWorkerIsServedAtTheRootOnly() throws {
        let app = try TestApp()
        let worker = try app.request("GET", "/sw.js")
        #expect(worker.status == 200)
        #expect(worker.header("content-type") == "text/javascript; charset=utf-8")
        #expect(worker.text.contains("addEventListener('push'"))
        #expect(worker.header("content-security-policy")?.contains("default-src 'none'") == true)
        #expect(worker.header("x-content-type-options") == "nosniff")
        #expect(worker.header("etag") != nil)
        #expect(try app.request("GET", "/assets/sw.js").status == 404)
    }

    @Test func aMatchingEntityTagAnswersNotModified() throws {
        let app = try TestApp()
        let first = try app.request("GET", "/assets/app.js")
        let tag = try #require(first.header("etag"))
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && !tag.hasPrefix("W/"))
        let again = try app.request("GET", "/assets/app.js", headers: [("If-None-Match", "\"other\", \(tag)")])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again.header("etag") == tag)
        let stale = try app.request("GET", "/assets/app.js", headers: [("If-None-Match", "\"other\"")])
        #expect(stale.status == 200)
        #expect(stale.body == first.body)
    }

    @Test func gzipIsSentOnlyToClientsThatAcceptIt() throws {
        let app = try TestApp()
        let plain = try app.request("GET", "/assets/app.js")
        #expect(plain.header("content-encoding") == nil)
        #expect(plain.header("vary") == "Accept-Encoding")
        let zipped = try app.request("GET", "/assets/app.js", headers: [("Accept-Encoding", "gzip, deflate, br")])
        #expect(zipped.status == 200)
        #expect(zipped.header("content-encoding") == "gzip")
        #expect(zipped.header("vary") == "Accept-Encoding")
        #expect(zipped.header("etag") != plain.header("etag"))
        #expect(zipped.body.count < plain.body.count)
        let inflater = try #require(MessageInflater(windowBits: 15))
        let deflated = Array(zipped.body[10..<(zipped.body.count - 8)])
        #expect(deflated.withUnsafeBytes { inflater.inflate($0, limit: 1 << 20, keepContext: false) } == .success(plain.body))
        let refused = try app.request("GET", "/assets/app.js", headers: [("Accept-Encoding", "gzip;q=0, br")])
        #expect(refused.header("content-encoding") == nil)
        let revalidated = try app.request("GET", "/assets/app.js",
                                          headers: [("Accept-Encoding", "gzip"), ("If-None-Match", zipped.header("etag") ?? "")])
        #expect(revalidated.status == 304)
    }

    @Test func aQueryStringNamesTheSameAsset() throws {
        let app = try TestApp()
        let plain = try app.request("GET", "/assets/app.css")
        let busted = try app.request("GET", "/assets/app.css?v=2")
        #expect(busted.status == 200)
        #expect(busted.body == plain.body)
    }

    @Test func headAnswersWithoutABody() throws {
        let app = try TestApp()
        let head = try app.request("HEAD", "/assets/app.css")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("content-type") == "text/css; charset=utf-8")
    }

    @Test(arguments: ["/assets/nothing.js", "/assets/index.html", "/assets/..%2Fopenapi.yaml", "/assets/%2e%2e",
                      "/assets/../openapi.yaml", "/assets/app.js/", "/assets/", "/assets/app.js%00", "/index.html"])
    func anythingOutsideTheCatalogIsNotFound(path: String) throws {
        let app = try TestApp()
        let response = try app.request("GET", path)
        #expect(response.status == 404 || response.status == 400)
        #expect(response.header("content-type") == "application/json")
    }

    @Test func theApiRoutesAreUnchanged() throws {
        let app = try TestApp()
        #expect(try app.request("POST", "/").status == 405)
        #expect(try app.call("GET", "/api/v1/me").status == 401)
    }

    @Test func theWholeClientStaysUnder150KB() {
        let client = WebClient()
        #expect(client.assets["index.html"] != nil)
        #expect(client.assets.values.reduce(0) { $0 + $1.identity.count } < 150 * 1024)
    }
}
