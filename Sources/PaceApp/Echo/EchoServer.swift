import PaceHTTP
import PaceServer
import PaceWebSocket

/// `pace ws-echo`: a WebSocket echo server on the same event loop and protocol code as the
/// chat server, for conformance suites such as Autobahn. Any path upgrades; every message
/// comes back as it was sent.
package final class EchoServer: HTTPHandler, HTTPExchange {
    private let configuration: WebSocketConfiguration

    /// The chat server's WebSocket limits, except a 16 MiB message (Autobahn's 9.x cases).
    package init(maxMessageBytes: Int = 16 << 20) {
        var configuration = WebSocketConfiguration()
        configuration.maxMessageBytes = maxMessageBytes
        configuration.outboundLimit = 2 * maxMessageBytes + (1 << 20)
        self.configuration = configuration
    }

    package func exchange(for request: HTTPRequest) -> any HTTPExchange { self }

    package var bodyLimit: Int { 0 }

    package func respond(to request: HTTPRequest, responder: HTTPResponder) {
        switch WebSocketUpgrade.accept(request, configuration: configuration) {
        case .success(let acceptance):
            responder.upgrade(acceptance, handler: Echo(), configuration: configuration)
        case .failure(let error):
            responder.send(WebSocketUpgrade.rejection(error))
        }
    }
}

/// Sends every message back on the socket it came from.
private final class Echo: WebSocketHandler {
    func webSocketOpened(_ socket: WebSocketConnection) {}

    func webSocket(_ socket: WebSocketConnection, received message: [UInt8], isText: Bool) {
        if isText { socket.send(text: message) } else { socket.send(binary: message) }
    }

    func webSocketClosed(_ socket: WebSocketConnection, code: WebSocketCloseCode?) {}
}
