import PaceCrypto
import PaceHTTP
import PaceWebSocket

/// Checks an HTTP request for a valid WebSocket opening handshake.
package enum WebSocketUpgrade {
    /// The `Sec-WebSocket-Accept` value for a valid upgrade request, or the error to answer.
    package static func accept(_ request: HTTPRequest) -> Result<String, WebSocketHandshakeError> {
        do {
            let key = try WebSocketHandshake.validate(isGet: request.method == .get,
                                                      isHTTP11OrLater: request.head.minorVersion >= 1) { name in
                request.headers.compactMap { field in
                    HeaderLookup.equalsIgnoringCase(request.buffer, field.name, name)
                        ? UnsafeRawBufferPointer(rebasing: request.buffer[field.value]) : nil
                }
            }
            return .success(WebSocketHandshake.acceptValue(key: key, sha1: Digest.sha1, base64: Base64.standard.encode))
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
