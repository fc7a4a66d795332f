/// Why a TLS connection cannot go on. Each ends that one connection; none is a library fault.
/// After an engine throws, OpenSSL may have queued an alert: send `pendingCiphertext` before
/// closing the socket so the peer learns why.
package enum TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first byte was an ASCII letter: a plain HTTP client on the TLS port. Caught on the
    /// very first byte so the server can answer it in plain text or close at once.
    case plaintextHTTP
    /// The first byte was neither a TLS handshake record nor a letter.
    case notTLS
    /// The handshake failed: no shared version or cipher, bad ClientHello, a peer alert.
    case handshakeFailed(TLSFailure)
    /// A record after the handshake did not decrypt or broke the protocol (garbage, bad MAC).
    case protocolViolation(TLSFailure)
    /// The peer's stream ended before the handshake finished (a truncated ClientHello).
    case truncatedHandshake
    /// The peer's stream ended after the handshake without close_notify. Every byte before it
    /// was authentic; the caller decides whether that is a truncation (it is not for HTTP/1.1
    /// and WebSocket, which frame their own messages), as SSL_OP_IGNORE_UNEXPECTED_EOF would.
    case unexpectedEOF
    /// Application data was offered before the handshake finished.
    case handshakeIncomplete
    /// The connection was already shut down by close_notify, sent or received.
    case closed

    package var description: String {
        switch self {
        case .plaintextHTTP: "plain HTTP on a TLS port"
        case .notTLS: "not a TLS handshake"
        case .handshakeFailed(let failure): "TLS handshake failed: \(failure)"
        case .protocolViolation(let failure): "TLS protocol violation: \(failure)"
        case .truncatedHandshake: "connection closed during the TLS handshake"
        case .unexpectedEOF: "connection closed without close_notify"
        case .handshakeIncomplete: "TLS handshake not finished"
        case .closed: "TLS connection closed"
        }
    }
}

/// OpenSSL's first queued error for a failure: its reason code and text, for logs and tests.
package struct TLSFailure: Equatable, Sendable, CustomStringConvertible {
    package let reason: Int32
    package let text: String

    package var description: String { text }
}
