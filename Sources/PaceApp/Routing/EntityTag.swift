/// Conditional requests on entity tags (RFC 9110 section 13.1.2).
enum EntityTag {
    /// Whether an `If-None-Match` value names `etag`: `*`, or a list of (possibly weak) entity
    /// tags, compared weakly as that header wants. True answers 304 Not Modified.
    static func isListed(_ etag: String, in header: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingSpaces
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
