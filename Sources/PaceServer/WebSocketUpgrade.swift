import PaceCrypto
import PaceHTTP
import PaceWebSocket

/// What the 101 answer to a valid upgrade request says: the accept value and the agreed
/// permessage-deflate parameters, if any.
package struct WebSocketAcceptance: Sendable, Equatable {
    package var accept: String
    package var deflate: PerMessageDeflateParameters?

    package init(accept: String, deflate: PerMessageDeflateParameters? = nil) {
        self.accept = accept
        self.deflate = deflate
    }
}

/// Checks an HTTP request for a valid WebSocket opening handshake.
package enum WebSocketUpgrade {
    /// The acceptance of a valid upgrade request, permessage-deflate negotiated as
    /// `configuration` allows, or the error to answer.
    package static func accept(_ request: HTTPRequest,
                               configuration: WebSocketConfiguration) -> Result<WebSocketAcceptance, WebSocketHandshakeError> {
        let fieldValues = { (name: StaticString) in
            request.headers.compactMap { field in
                HeaderLookup.equalsIgnoringCase(request.buffer, field.name, name)
                    ? UnsafeRawBufferPointer(rebasing: request.buffer[field.value]) : nil
            }
        }
        do {
            let key = try WebSocketHandshake.validate(isGet: request.method == .get,
                                                      isHTTP11OrLater: request.head.minorVersion >= 1,
                                                      fieldValues: fieldValues)
            let accept = WebSocketHandshake.acceptValue(key: key, sha1: Digest.sha1, base64: Base64.standard.encode)
            let deflate = configuration.deflate.flatMap {
                PerMessageDeflateNegotiation.negotiate(fieldValues("Sec-WebSocket-Extensions"), policy: $0)
            }
            return .success(WebSocketAcceptance(accept: accept, deflate: deflate))
        } catch {
            return .failure(error)
        }
    }

    /// The answer to a failed handshake: 400, or 426 naming the supported version.
    package static func rejection(_ error: WebSocketHandshakeError) -> HTTPResponse {
        let headers = error.status == 426 ? [HTTPHeader("Sec-WebSocket-Version", "13")] : []
        let body = ErrorBody.json(code: error.status == 426 ? "upgrade_required" : "bad_request",
                                  message: "This endpoint takes a WebSocket (RFC 6455, version 13) upgrade.")
        return HTTPResponse(status: error.status, contentType: "application/json", headers: headers, body: .bytes(body))
    }
}
