import PaceHTTP

/// Which uploaded types are served as themselves. Only types a browser shows passively are on
/// the list; anything it could run or render as a document in our origin (HTML, SVG, XML,
/// JavaScript, and every type not listed) is served as an `application/octet-stream`
/// attachment, so a shared file can never execute script against the API's origin.
package enum InlineContentPolicy {
    private static let inline: Set<String> = [
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
        "audio/mpeg", "audio/ogg", "audio/wav", "audio/webm", "audio/aac", "audio/flac", "audio/mp4",
        "video/mp4", "video/webm", "video/ogg", "video/quicktime",
        "text/plain", "text/csv", "application/json",
    ]

    /// Whether `contentType` (as stored) may be served inline with its own type.
    package static func isInline(_ contentType: String) -> Bool {
        guard let type = MediaType(contentType) else { return false }
        return inline.contains(type.essence)
    }
}
