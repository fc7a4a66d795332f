import PaceHTTP
import PaceServer

/// How to answer a download from the upload's metadata and the request's conditional and
/// range headers, before any file is opened: status, headers, and which bytes.
struct DownloadPlan {
    var status: Int
    var headers: [HTTPHeader]
    /// The first byte to send and how many; zero for 304 and 416.
    var offset: Int64 = 0
    var length: Int64 = 0

    init(_ upload: UploadRecord, ifNoneMatch: String?, range: String?, ifRange: String?) {
        let etag = "\"" + upload.sha256 + "\""
        let inline = InlineContentPolicy.isInline(upload.contentType)
        headers = [
            HTTPHeader("ETag", etag),
            HTTPHeader("Cache-Control", "private"),
            HTTPHeader("X-Content-Type-Options", "nosniff"),
            HTTPHeader("Accept-Ranges", "bytes"),
        ]
        if let ifNoneMatch, EntityTag.isListed(etag, in: ifNoneMatch) {
            status = 304
            return
        }
        // If-Range with another validator (or a date: no Last-Modified is served) means the
        // client's partial copy is stale, so it gets the whole file.
        let applicable = ifRange.map { Substring($0).trimmingSpaces == etag } ?? true
        switch applicable ? ByteRange.evaluate(range, size: upload.size) : .full {
        case .full:
            status = 200
            length = upload.size
        case .partial(let first, let last):
            status = 206
            offset = first
            length = last - first + 1
            headers.append(HTTPHeader("Content-Range", "bytes \(first)-\(last)/\(upload.size)"))
        case .unsatisfiable:
            status = 416
            headers.append(HTTPHeader("Content-Range", "bytes */\(upload.size)"))
            return
        }
        headers += [
            HTTPHeader("Content-Type", inline ? upload.contentType : "application/octet-stream"),
            HTTPHeader("Content-Disposition", ContentDisposition.value(attachment: !inline, filename: upload.filename)),
            HTTPHeader("Content-Security-Policy", "default-src 'none'; sandbox"),
        ]
    }
}
