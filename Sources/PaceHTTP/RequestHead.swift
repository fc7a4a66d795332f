/// A parsed and validated request head. Ranges are offsets into the buffer it was parsed
/// from, which starts at the request's first byte.
package struct RequestHead: Equatable, Sendable {
    package var method: HTTPMethod
    /// The whole request-target as sent.
    package var target: Range<Int>
    /// The path, still percent-encoded: in origin and absolute form it starts with `/`; for
    /// `OPTIONS *` it is the `*`.
    package var path: Range<Int>
    /// What follows the first `?`, without it; nil when there is no `?` (empty for a bare `?`).
    package var query: Range<Int>?
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    package var minorVersion: UInt8
    /// The Host value; nil only for an HTTP/1.0 request without one.
    package var host: Range<Int>?
    package var contentLength: Int?
    package var isChunked: Bool
    /// Whether the connection may carry another request after this one's response.
    package var keepAlive: Bool
    /// Whether the client waits for `100 Continue` before sending the body (HTTP/1.1 only).
    package var expectContinue: Bool
    /// Whether `Connection` lists `upgrade`, as a WebSocket handshake must.
    package var connectionUpgrade: Bool
    package var headerCount: Int
    /// Bytes of the head, final CRLF included: where the body or the next request starts.
    package var byteCount: Int

    /// Whether body bytes follow the head.
    package var hasBody: Bool {
        isChunked || (contentLength ?? 0) > 0
    }
}
