import PaceWebSocket

/// Limits and timers of WebSocket connections.
package struct WebSocketConfiguration: Sendable {
    /// Largest message accepted; larger ones close the connection with 1009.
    package var maxMessageBytes = WebSocketReader.defaultMaxMessageBytes
    /// A ping goes out after this much silence from the peer; two unanswered pings drop it.
    package var pingIntervalMilliseconds: Int64 = 30_000
    /// Queued outbound bytes beyond which the peer is too far behind: closed with 4000.
    package var outboundLimit = 4 * 1024 * 1024
    /// How long to wait for the peer's answer to our close frame before dropping TCP.
    package var closeTimeoutMilliseconds: Int64 = 2_000
    /// permessage-deflate (RFC 7692) as offered to clients; nil turns it off. A client that
    /// lets the server choose compresses with at most an 8 KiB window (13 bits), which is what
    /// its inflater keeps here between messages.
    package var deflate: PerMessageDeflatePolicy? = PerMessageDeflatePolicy(maxClientWindowBits: 13)

    package init() {}
}
