import PaceCrypto
import PaceDeflate
import PaceHTTP
import PaceServer

/// One file of the web client, prepared once at start-up: its bytes, a gzip variant when that
/// is smaller, and a strong entity tag for each representation.
package struct WebAsset: Sendable {
    let contentType: StaticString
    package let identity: [UInt8]
    let identityTag: String
    let gzip: [UInt8]?
    let gzipTag: String

    init(text: String, contentType: StaticString) {
        self.contentType = contentType
        let identity = Array(text.utf8)
        self.identity = identity
        // 16 bytes of the digest tell versions apart; the tag names the representation too,
        // as a gzip body is a different sequence of bytes (RFC 9110 section 8.8.3).
        let digest = Hex.encode(Array(Digest.sha256(identity).prefix(16)))
        identityTag = "\"\(digest)\""
        gzipTag = "\"\(digest)-gz\""
        gzip = Gzip.compress(identity).flatMap { $0.count < identity.count ? $0 : nil }
    }

    /// The answer to a GET or HEAD with these request headers.
    func response(acceptEncoding: String?, ifNoneMatch: String?) -> HTTPResponse {
        let compressed = gzip.flatMap { AcceptEncoding.allowsGzip(acceptEncoding) ? $0 : nil }
        let tag = compressed == nil ? identityTag : gzipTag
        var headers = WebSecurityHeaders.all + [HTTPHeader("ETag", tag), HTTPHeader("Cache-Control", "no-cache")]
        if gzip != nil { headers.append(HTTPHeader("Vary", "Accept-Encoding")) }
        if let ifNoneMatch, EntityTag.isListed(tag, in: ifNoneMatch) {
            return HTTPResponse(status: 304, headers: headers)
        }
        if let compressed {
            headers.append(HTTPHeader("Content-Encoding", "gzip"))
            return HTTPResponse(status: 200, contentType: contentType, headers: headers, body: .bytes(compressed))
        }
        return HTTPResponse(status: 200, contentType: contentType, headers: headers, body: .bytes(identity))
    }

    /// The media type a file name's extension stands for; nil for any other file.
    static func contentType(of name: String) -> StaticString? {
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if name.hasSuffix(".svg") { return "image/svg+xml" }
        if name.hasSuffix(".webmanifest") { return "application/manifest+json" }
        return nil
    }
}
