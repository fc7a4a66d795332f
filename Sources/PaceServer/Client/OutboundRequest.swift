/// One request for Pace's HTTP client. Header values are the caller's; names and values with
/// CR, LF or NUL are refused by `encode` so nothing can split the request.
package struct OutboundRequest: Sendable {
    package var method: String
    package var url: OutboundURL
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// From the first connect attempt to the last response byte.
    package var timeoutMilliseconds: Int64

    package init(method: String = "POST", url: OutboundURL, headers: [(name: String, value: String)] = [],
                 body: [UInt8] = [], timeoutMilliseconds: Int64 = 10_000) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// The request's bytes, or nil when a header would break the framing.
    package func encode() -> [UInt8]? {
        let fields = headers + [("Host", url.hostHeader), ("Content-Length", String(body.count))]
        var out: [UInt8] = []
        out.reserveCapacity(256 + body.count)
        out.append(contentsOf: "\(method) \(url.target) HTTP/1.1\r\n".utf8)
        for (name, value) in fields {
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 58 }),
                  value.utf8.allSatisfy({ $0 != 13 && $0 != 10 && $0 != 0 }) else { return nil }
            out.append(contentsOf: "\(name): \(value)\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }
}

/// Why a request got no response.
package enum HTTPClientError: Error, Sendable, Equatable {
    /// The URL's host did not resolve.
    case resolution
    /// Every address the host resolved to is refused by `OutboundAddressPolicy`.
    case forbiddenAddress
    /// `http` to a non-loopback host when that is not allowed.
    case schemeNotAllowed
    case invalidRequest
    case connectFailed
    /// The TLS handshake was refused: the certificate is not trusted or does not name the host,
    /// or the two sides share no protocol version or cipher.
    case tlsHandshake
    case timedOut
    case invalidResponse
    case shuttingDown
}
