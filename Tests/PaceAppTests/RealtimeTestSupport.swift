#if canImport(Glibc)
import Glibc
#endif
import PaceDeflate
import PaceJSON
import PaceTestSupport
import Testing

/// A chat WebSocket for tests: JSON frames in and out over `WebSocketTestClient`, on an
/// in-memory connection, or over loopback TCP when the app listens (`TestApp(sockets:)`).
final class ChatClient {
    let socket: WebSocketTestClient
    /// Frames read while looking for another type, kept for later `next` calls.
    private var backlog: [JSONValue] = []
    /// Every text frame read so far, by type: whether it came compressed, and its wire payload.
    private(set) var received: [(type: String, compressed: Bool, wire: [UInt8])] = []
    /// Inflates frames with RSV1; the server never keeps context between messages.
    private let inflater = MessageInflater(windowBits: 15)

    init(_ app: TestApp, token: String?, query: String = "", headers: [(String, String)] = [],
         receiveBuffer: Int32? = nil, path route: String = "/api/v1/ws") throws {
        var path = route
        var parts: [String] = []
        if let token { parts.append("access_token=\(token)") }
        if !query.isEmpty { parts.append(query) }
        if !parts.isEmpty { path += "?" + parts.joined(separator: "&") }
        if app.port == 0 {
            // A small receive buffer is a TCP property; a slow reader needs `sockets`.
            try #require(receiveBuffer == nil)
            socket = WebSocketTestClient(over: app.connect(timeoutSeconds: 3), path: path, headers: headers)
        } else {
            socket = try WebSocketTestClient(port: app.port, path: path, headers: headers, timeoutSeconds: 3,
                                             receiveBuffer: receiveBuffer)
        }
    }

    var status: Int? { socket.handshake?.status }

    func send(_ json: String) { socket.send(text: json) }

    /// The next frame of `type`, skipping (and keeping) others; nil on close or timeout.
    func next(_ type: String) -> JSONValue? {
        if let index = backlog.firstIndex(where: { $0["type"]?.stringValue == type }) {
            return backlog.remove(at: index)
        }
        while let frame = socket.readFrame() {
            guard frame.opcode == 1, let value = try? JSONParser.parse(inflated(frame)) else {
                if frame.opcode == 8 { closeCode = frame.closeCode }
                if frame.opcode == 8 { return nil }
                continue
            }
            received.append((value["type"]?.stringValue ?? "", frame.compressed, frame.payload))
            if value["type"]?.stringValue == type { return value }
            backlog.append(value)
        }
        return nil
    }

    private func inflated(_ frame: WebSocketTestClient.Frame) -> [UInt8] {
        guard frame.compressed, let inflater else { return frame.payload }
        let result = frame.payload.withUnsafeBytes { inflater.inflate($0, limit: 1 << 22, keepContext: false) }
        return (try? result.get()) ?? []
    }

    /// The next `presence` frame about `user`, skipping those about others.
    func nextPresence(of user: TestUser) -> JSONValue? {
        while let frame = next("presence") {
            if frame["user_id"]?.stringValue == user.idString { return frame }
        }
        return nil
    }

    /// The close code the server sent, once `next` or `waitForClose` met it.
    private(set) var closeCode: UInt16?

    /// Reads until the server's close frame; returns its code.
    func waitForClose() -> UInt16? {
        while closeCode == nil, let frame = socket.readFrame() {
            if frame.opcode == 8 { closeCode = frame.closeCode }
        }
        return closeCode
    }

    /// Whether a frame of `type` arrives within `milliseconds` (the default timeout otherwise).
    func receives(_ type: String, within milliseconds: Int = 3000) -> Bool {
        setTimeout(milliseconds)
        defer { setTimeout(3000) }
        return next(type) != nil
    }

    private func setTimeout(_ milliseconds: Int) {
        if let memory = socket.client as? MemoryClient {
            memory.timeoutMilliseconds = Int64(milliseconds)
            return
        }
        guard let tcp = socket.client as? TestClient else { return }
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(tcp.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
