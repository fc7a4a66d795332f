import PaceAddress
import PaceHTTP

/// A request as the application sees it. Its head borrows the connection's buffers: it is
/// valid only during the call it is passed to, so a handler copies out what it needs before
/// going asynchronous. That is what lets a bodiless GET be answered with no allocation.
package struct HTTPRequest {
    package let head: RequestHead
    /// The bytes `head` and `headers` index into.
    package let buffer: UnsafeRawBufferPointer
    package let headers: [HTTPHeaderField]
    /// The body collected in memory, owned: a handler keeps it without copying. Empty when
    /// there is none, before it has arrived (`HTTPExchange.bodyStream`), or when streamed.
    package let body: [UInt8]
    /// Unique per process: loop index in the top byte, a per-loop counter below.
    package let id: UInt64
    /// The transport's peer: the TCP peer, or the source of a PROXY protocol header.
    package let peer: IPAddress
    /// Who the request is attributed to (rate limits, logs): `peer`, or the client a trusted
    /// proxy named in a forwarding header.
    package let client: ClientAddress
    /// Where the body went when the handler asked for it to be streamed; `body` is empty then.
    package var stream: BodyStream?

    package init(head: RequestHead, buffer: UnsafeRawBufferPointer, headers: [HTTPHeaderField],
                 body: [UInt8] = [], id: UInt64, peer: IPAddress, client: ClientAddress? = nil,
                 stream: BodyStream? = nil) {
        self.head = head
        self.buffer = buffer
        self.headers = headers
        self.body = body
        self.id = id
        self.peer = peer
        self.client = client ?? ClientAddress(address: peer, isForwarded: false)
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

    /// The client address as text (RFC 5952 for IPv6, dotted for IPv4), for rate-limit keys and logs.
    package var clientString: String { client.address.description }

    /// The request id as 16 hex digits, for logs and the `X-Request-Id` header.
    package var idString: String {
        var digits: [UInt8] = []
        RequestID.appendHex(id, to: &digits)
        return String(decoding: digits, as: UTF8.self)
    }
}

/// The application side of the HTTP server, called on the connection's loop thread.
package protocol HTTPHandler: AnyObject, Sendable {
    /// Called once per request, with its head and before any body byte is read: what handles
    /// the rest of it. A stateless handler may return itself.
    func exchange(for request: HTTPRequest) -> any HTTPExchange
}

/// One request from its head on: how much body it takes, where the body goes, and what
/// answers it. Kept by the session until the body is complete; all calls arrive on the loop
/// thread. Small structs (up to three words) and class references cost no allocation.
package protocol HTTPExchange {
    /// The largest body accepted; `Expect: 100-continue` is answered, or 413 sent, from it.
    var bodyLimit: Int { get }
    /// Asked once, before the first body byte and only when there is a body: a stream to
    /// receive it as it arrives, or nil to collect it in memory.
    func bodyStream(for request: HTTPRequest) -> BodyStream?
    /// The body is complete: answer through `responder`, now or later from any thread.
    /// `request` is the same head, borrowed again, with `body` or `stream` filled in.
    func respond(to request: HTTPRequest, responder: HTTPResponder)
}

extension HTTPExchange {
    package func bodyStream(for request: HTTPRequest) -> BodyStream? { nil }
}
