import PaceServer

/// The browser client, embedded at build time from `web/`: `index.html` at `/`, the service
/// worker `sw.js` at `/sw.js` (a worker's scope is at most the directory of its own path, and
/// it must cover the whole app), every other file at `/assets/NAME`. Names are looked up in
/// the embedded catalog, never on a file system, so no path can reach anything else. Answered
/// inline on the loop thread (the bytes are ready) and, like the probes, not access-logged.
package struct WebClient: Sendable {
    package let assets: [String: WebAsset]

    package init(files: [(name: String, text: String)] = embeddedWebFiles) {
        var assets: [String: WebAsset] = [:]
        for file in files {
            guard let type = WebAsset.contentType(of: file.name) else { continue }
            assets[file.name] = WebAsset(text: file.text, contentType: type)
        }
        self.assets = assets
    }

    func register(in router: inout Router) {
        router.add(.get, "/", .inline { [self] request in
            answer("index.html", request)
        })
        router.add(.get, "/sw.js", .inline { [self] request in
            answer("sw.js", request)
        })
        // The router has checked the shape: one segment after the prefix. It is compared
        // undecoded, as no asset name needs percent-encoding.
        router.add(.get, "/assets/{name}", .inline { [self] request in
            let name = String(request.pathString.dropFirst("/assets/".count))
            return Self.servedElsewhere.contains(name) ? APIError.notFound.response : answer(name, request)
        })
    }

    /// Files with an address of their own, so each has exactly one.
    private static let servedElsewhere: Set<String> = ["index.html", "sw.js"]

    private func answer(_ name: String, _ request: HTTPRequest) -> HTTPResponse {
        guard let asset = assets[name] else { return APIError.notFound.response }
        return asset.response(acceptEncoding: request.header("accept-encoding"), ifNoneMatch: request.header("if-none-match"))
    }
}
