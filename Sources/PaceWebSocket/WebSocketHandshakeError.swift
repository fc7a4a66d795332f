/// Why an upgrade request is refused, and with which status.
package enum WebSocketHandshakeError: Error, Equatable, Sendable {
    /// The method is not GET.
    case methodNotGet
    /// The request is older than HTTP/1.1.
    case httpVersionTooOld
    /// `Upgrade` does not list `websocket`.
    case missingUpgradeWebSocket
    /// `Connection` does not list `upgrade`.
    case missingConnectionUpgrade
    /// `Sec-WebSocket-Version` is absent or not 13: answer 426 with
    /// `Sec-WebSocket-Version: 13` so the client can retry with 13 (`WebSocketUpgrade.rejection`).
    case unsupportedVersion
    /// `Sec-WebSocket-Key` is absent, repeated, or not the base64 of 16 bytes.
    case invalidKey

    /// The status to answer with: 426 Upgrade Required for a version the server does not
    /// speak, 400 Bad Request otherwise.
    package var status: Int {
        self == .unsupportedVersion ? 426 : 400
    }
}
