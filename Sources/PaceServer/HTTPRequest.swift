import PaceHTTP

/// A complete request as the application sees it. It borrows the connection's buffers: it is
/// valid only during the `HTTPHandler.handle` call, so a handler copies out what it needs
/// before going asynchronous. That is what lets a bodiless GET be answered with no allocation.
package struct HTTPRequest {
    package let head: RequestHead
    /// The bytes `head` and `headers` index into.
    package let buffer: UnsafeRawBufferPointer
    package let headers: [HTTPHeaderField]
    package let body: UnsafeRawBufferPointer
    /// Unique per process: loop index in the top byte, a per-loop counter below.
    package let id: UInt64
    /// The peer's IPv4 address in host byte order (0 when not IPv4).
    package let peer: UInt32
    /// Where the body went when the handler asked for it to be streamed; `body` is empty then.
    package var stream: BodyStream?

    package init(head: RequestHead, buffer: UnsafeRawBufferPointer, headers: [HTTPHeaderField],
                 body: UnsafeRawBufferPointer, id: UInt64, peer: UInt32, stream: BodyStream? = nil) {
        self.head = head
        self.buffer = buffer
        self.headers = headers
        self.body = body
        self.id = id
        self.peer = peer
        self.stream = stream
    }

    package var method: HTTPMethod { head.method }

    /// The path bytes, still percent-encoded.
    package var path: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[head.path]) }

    package var pathString: String { HeaderLookup.string(buffer, head.path) }

    /// The decoded query pairs: empty without a query, nil when it is not valid
    /// percent-encoded UTF-8 (routes answer 400).
    package var queryItems: [(name: String, value: String)]? {
        guard let range = head.query else { return [] }
        return QueryString.parse(UnsafeRawBufferPointer(rebasing: buffer[range]))
    }

    /// The value of the first header called `name` (any case), decoded as UTF-8.
    package func header(_ name: StaticString) -> String? {
        HeaderLookup.field(named: name, in: headers, buffer: buffer).map { HeaderLookup.string(buffer, $0.value) }
    }

    package func headerBytes(_ name: StaticString) -> UnsafeRawBufferPointer? {
        HeaderLookup.value(named: name, in: headers, buffer: buffer)
    }

    /// The peer address in dotted form.
    package var peerString: String {
        "\(peer >> 24).\(peer >> 16 & 0xFF).\(peer >> 8 & 0xFF).\(peer & 0xFF)"
    }

    /// The request id as 16 hex digits, for logs and the `X-Request-Id` header.
    package var idString: String {
        var digits: [UInt8] = []
        RequestID.appendHex(id, to: &digits)
        return String(decoding: digits, as: UTF8.self)
    }
}

/// The application side of the HTTP server. Both calls arrive on the connection's loop thread.
package protocol HTTPHandler: AnyObject, Sendable {
    /// The largest body accepted for this request, decided from its head before any body byte
    /// is read (`Expect: 100-continue` is answered, or 413 sent, from this).
    func bodyLimit(for request: HTTPRequest) -> Int
    /// A stream to receive this request's body as it arrives, or nil to collect it in memory.
    func bodyStream(for request: HTTPRequest) -> BodyStream?
    /// Answers `request` through `responder`, now or later from any thread.
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}

extension HTTPHandler {
    package func bodyStream(for request: HTTPRequest) -> BodyStream? { nil }
}
