import PaceLoop
import PaceServer
import PaceSystem
import PaceWebSocket
import PaceJSON

/// One chat client's WebSocket: sends `hello`, answers client frames (with `error` frames
/// carrying their `ref` on bad input, the connection staying open), and receives the hub's
/// fan-out. Confined to its loop thread.
final class ChatSocket: WebSocketHandler {
    let user: AuthenticatedUser
    let sessionID: UInt64
    private let hub: Hub
    private let actions: ChatActions
    private let configuration: RealtimeConfiguration
    private var socket: WebSocketConnection?
    private var limiter: FrameRateLimiter
    private var typing: [Int64: (sentAt: Int64, expiry: TimerID)] = [:]
    private var expiryTimer: TimerID?

    init(user: AuthenticatedUser, hub: Hub, actions: ChatActions) {
        self.user = user
        self.hub = hub
        self.actions = actions
        configuration = hub.configuration
        sessionID = hub.nextSessionID()
        limiter = FrameRateLimiter(perSecond: configuration.framesPerSecond, now: 0)
    }

    // MARK: WebSocketHandler

    func webSocketOpened(_ socket: WebSocketConnection) {
        self.socket = socket
        limiter = FrameRateLimiter(perSecond: configuration.framesPerSecond, now: socket.connection.loop.now)
        let hello = ServerFrame.hello(userID: user.id, sessionID: sessionID, configuration: configuration)
        socket.connection.send { $0.append(contentsOf: hello) }
        hub.loopHub(for: socket.connection.loop)?.add(self)
        hub.opened(self)
        let remaining = user.expiresAt * 1000 - Clock.wallMilliseconds()
        expiryTimer = socket.connection.loop.schedule(after: max(0, remaining)) { [weak self] in
            self?.closeForExpiredToken()
        }
    }

    func webSocket(_ socket: WebSocketConnection, received message: [UInt8], isText: Bool) {
        switch limiter.admit(now: socket.connection.loop.now) {
        case .allow: break
        case .refuse:
            send(ServerFrame.error(ref: nil, code: "rate_limited", message: "Too many frames; slow down."))
            return
        case .close:
            Log.warn("websocket rate limit", ["user": String(user.id), "session": String(sessionID)])
            socket.close(.policyViolation, reason: "rate limit")
            return
        }
        guard isText else {
            send(ServerFrame.error(ref: nil, code: "unsupported_frame", message: "Frames are JSON text."))
            return
        }
        switch ClientFrame.parse(message) {
        case .success(let frame): perform(frame)
        case .failure(let problem): send(ServerFrame.error(ref: problem.ref, code: problem.code, message: problem.message))
        }
    }

    func webSocketClosed(_ socket: WebSocketConnection, code: WebSocketCloseCode?) {
        let loop = socket.connection.loop
        if let expiryTimer { loop.cancel(expiryTimer) }
        for entry in typing.values { loop.cancel(entry.expiry) }
        typing = [:]
        if code?.rawValue == 4000 {
            Log.warn("websocket too far behind", ["user": String(user.id), "session": String(sessionID)])
        }
        hub.loopHub(for: loop)?.remove(self)
        hub.closed(self)
        self.socket = nil
    }

    // MARK: Delivery

    /// Queues a fan-out frame; false when skipped (a droppable frame for a socket behind).
    func deliver(_ frame: SharedBytes, droppable: Bool) -> Bool {
        guard let socket, socket.isOpen else { return false }
        let queued = socket.queuedBytes
        if droppable && queued > configuration.droppableBacklogBytes { return false }
        if queued + frame.count > configuration.socket.outboundLimit {
            socket.close(WebSocketCloseCode(4000), reason: "too far behind; reconnect with since")
            return false
        }
        socket.send(frame: frame)
        return true
    }

    func closeForExpiredToken() {
        socket?.close(WebSocketCloseCode(4001), reason: "token expired or revoked")
    }

    private func send(_ frame: [UInt8]) {
        socket?.connection.send { $0.append(contentsOf: frame) }
    }

    /// Sends `frame` from any thread, on this socket's loop.
    private func sendLater(_ frame: [UInt8]) {
        guard let loop = socket?.connection.loop else { return }
        let box = ChatSocketBox(socket: self)
        loop.execute { box.socket.send(frame) }
    }

    // MARK: Commands

    private func perform(_ frame: ClientFrame) {
        switch frame.command {
        case .ping:
            send(ServerFrame.pong(ref: frame.ref))
        case .presence(let presence):
            hub.choose(presence, for: user.id)
        case .typing(let conversation, let start):
            typing(conversation, start: start, ref: frame)
        case .send(let draft):
            let box = ChatSocketBox(socket: self)
            actions.send(draft, from: user.id, session: sessionID) { result in
                switch result {
                case .success(let message):
                    box.socket.sendLater(ServerFrame.ack(ref: frame.ref, clientID: draft.clientID, message: message))
                case .failure(let error):
                    box.socket.sendLater(ServerFrame.error(ref: frame.ref, code: error.code, message: error.message))
                }
            }
        case .read(let conversation, let message):
            let box = ChatSocketBox(socket: self)
            actions.markRead(conversationID: conversation, messageID: message, by: user.id) { result in
                if case .failure(let error) = result {
                    box.socket.sendLater(ServerFrame.error(ref: frame.ref, code: error.code, message: error.message))
                }
            }
        }
    }

    private func typing(_ conversation: Int64, start: Bool, ref frame: ClientFrame) {
        guard let loop = socket?.connection.loop else { return }
        let now = loop.now
        if start {
            if let previous = typing[conversation] {
                loop.cancel(previous.expiry)
                if now - previous.sentAt < configuration.typingThrottleMilliseconds {
                    typing[conversation] = (previous.sentAt, scheduleTypingExpiry(conversation, loop))
                    return
                }
            }
            typing[conversation] = (now, scheduleTypingExpiry(conversation, loop))
        } else {
            guard let previous = typing.removeValue(forKey: conversation) else { return }
            loop.cancel(previous.expiry)
        }
        forwardTyping(conversation, start: start, ref: frame.ref)
    }

    private func scheduleTypingExpiry(_ conversation: Int64, _ loop: EventLoop) -> TimerID {
        loop.schedule(after: configuration.typingTimeoutMilliseconds) { [weak self] in
            guard let self, self.typing.removeValue(forKey: conversation) != nil else { return }
            self.forwardTyping(conversation, start: false, ref: nil)
        }
    }

    private func forwardTyping(_ conversation: Int64, start: Bool, ref: JSONValueRef) {
        let user = self.user.id
        let box = ChatSocketBox(socket: self)
        hub.submit { [hub] in
            let members = hub.membership.members(of: conversation)
            guard members.contains(user) else {
                box.socket.sendLater(ServerFrame.error(ref: ref, code: "not_found", message: "No such conversation."))
                return
            }
            hub.broadcast(ServerFrame.typing(conversationID: conversation, userID: user, start: start),
                          to: members.filter { $0 != user }, droppable: true)
        }
    }
}

typealias JSONValueRef = PaceJSON.JSONValue?

/// Carries a socket to another thread, which only uses it through `loop.execute`
/// (`sendLater`) or reads its immutable fields.
/// `@unchecked Sendable`: every mutable member is touched on the socket's loop only.
struct ChatSocketBox: @unchecked Sendable {
    let socket: ChatSocket
}
