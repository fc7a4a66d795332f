import PaceWebSocket

/// The application side of one WebSocket. All calls arrive on the connection's loop thread.
package protocol WebSocketHandler: AnyObject {
    /// The handshake is done; `socket` may send from now on.
    func webSocketOpened(_ socket: WebSocketConnection)
    /// A complete text message (valid UTF-8) or binary message.
    func webSocket(_ socket: WebSocketConnection, received message: [UInt8], isText: Bool)
    /// The connection is gone (close handshake, failure, timeout or shutdown); called once.
    func webSocketClosed(_ socket: WebSocketConnection, code: WebSocketCloseCode?)
}
