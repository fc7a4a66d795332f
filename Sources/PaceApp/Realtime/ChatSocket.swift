import PaceLoop
import PaceServer
import PaceSystem
import PaceStore
import PaceWebSocket
import PaceJSON

/// One chat client's WebSocket: sends `hello`, answers client frames (with `error` frames
/// carrying their `ref` on bad input, the connection staying open), and receives the hub's
/// fan-out. Confined to its loop thread.
final class ChatSocket: WebSocketHandler {
    let user: AuthenticatedUser
    let sessionID: UInt64
    /// The device this socket declared (`?device_id=`): encrypted messages bring it that
    /// device's ciphertext when the device is its user's, and `keys.low` is addressed to it.
    let deviceID: Int64?
    /// The conversation of a seed-002 socket (`/api/v1/chat/ws/conversations/{id}`): it gets
    /// no `hello`, only that conversation's `message.new` (its own sends included, in place of
    /// an ack), and reads `SeedTwoFrame`s. Nil for `/api/v1/ws`.
    let conversationScope: Int64?
    private let hub: Hub
    private let actions: ChatActions
    private var socket: WebSocketConnection?
    /// Held strongly for answers that arrive from store threads after the server stopped.
    private var loop: EventLoop?
    private var limiter: FrameRateLimiter?
    private var typing: [Int64: (sentAt: Int64, expiry: TimerID)] = [:]
    private var expiryTimer: TimerID?
    /// The `?since=` cursor until its replay is sent; live frames wait in `held` meanwhile.
    private var since: Int64?
    /// The highest version the replay sent; live changes up to it are duplicates.
    private var replayedUpTo: Int64 = 0
    private var held: [(frame: SharedBytes, version: Int64?)] = []
    /// The `read` receipts the replay sent, while a live receipt coalesced before the replay's
    /// snapshot may still arrive (one receipt window): an identical one is not sent twice.
    private var replayedReceipts: Set<[UInt8]> = []
    private var replayedReceiptsTimer: TimerID?

    init(user: AuthenticatedUser, since: Int64?, deviceID: Int64? = nil, conversationScope: Int64? = nil, hub: Hub,
         actions: ChatActions) {
        self.user = user
        self.deviceID = deviceID
        self.conversationScope = conversationScope
        self.since = since
        self.hub = hub
        self.actions = actions
        sessionID = hub.nextSessionID()
    }

    // MARK: WebSocketHandler

    func webSocketOpened(_ socket: WebSocketConnection) {
        self.socket = socket
        loop = socket.loop
        limiter = hub.configuration.framesPerSecond.map { FrameRateLimiter(perSecond: $0, now: socket.loop.now) }
        if conversationScope == nil {
            socket.send(frame: ServerFrame.hello(userID: user.id, sessionID: sessionID, configuration: hub.configuration))
        }
        hub.loopHub(for: socket.loop)?.add(self)
        hub.opened(self)
        let remaining = user.expiresAt * 1000 - Clock.wallMilliseconds()
        // Timers hold the socket strongly (a weak capture would give every socket a side
        // table and make each fan-out retain a slow atomic); `webSocketClosed` cancels them.
        expiryTimer = socket.loop.schedule(after: max(0, remaining)) { [self] in
            closeForExpiredToken()
        }
        if let since { startReplay(since, on: socket.loop) }
    }

    // MARK: Replay

    /// Registered before the snapshot is read, so nothing committed from now on is missed;
    /// what the snapshot also holds is recognised by its version and dropped.
    private func startReplay(_ since: Int64, on loop: EventLoop) {
        let box = ChatSocketBox(socket: self)
        hub.replay(for: user.id, since: since, device: deviceID) { result in
            loop.execute { box.socket.finishReplay(result) }
        }
    }

    private func finishReplay(_ result: Result<[Replay.Item]?, StoreError>) {
        guard socket?.isOpen == true else { return }
        var high = since ?? 0
        switch result {
        case .success(let items?):
            for item in items {
                if let frame = item.frame {
                    send(frame)
                    if item.type == "receipt" { replayedReceipts.insert(frame) }
                    high = max(high, item.version)
                    continue
                }
                send(ServerFrame.build { writer in
                    writer.key("type"); writer.string(item.type)
                    writer.key(item.key); writer.raw(item.message)
                })
                high = max(high, item.version)
            }
        case .success(nil):
            send(ServerFrame.error(ref: nil, code: "resync_required",
                                   message: "Too much was missed to replay; reload history over REST."))
        case .failure:
            send(ServerFrame.error(ref: nil, code: "unavailable", message: "The replay could not be read."))
        }
        since = nil
        replayedUpTo = high
        if !replayedReceipts.isEmpty, let loop {
            replayedReceiptsTimer = loop.schedule(after: hub.configuration.readReceiptWindowMilliseconds + 1_000) { [self] in
                replayedReceipts = []
                replayedReceiptsTimer = nil
            }
        }
        let waiting = held
        held = []
        for entry in waiting where entry.version.map({ $0 > high }) ?? true {
            _ = deliver(entry.frame, droppable: false, version: nil)
        }
    }

    func webSocket(_ socket: WebSocketConnection, received message: [UInt8], isText: Bool) {
        switch limiter?.admit(now: socket.loop.now) ?? .allow {
        case .allow: break
        case .refuse:
            send(ServerFrame.error(ref: nil, code: "rate_limited", message: "Too many frames; slow down."))
            return
        case .close:
            Log.warn("websocket rate limit", ["user": String(user.id), "session": String(sessionID)])
            socket.close(.rateLimited)
            return
        }
        guard isText else {
            send(ServerFrame.error(ref: nil, code: "unsupported_frame", message: "Frames are JSON text."))
            return
        }
        if let conversationScope { return performSeedTwo(message, in: conversationScope) }
        switch ClientFrame.parse(message, calls: hub.configuration.calls) {
        case .success(let frame): perform(frame)
        case .failure(let problem): send(ServerFrame.error(ref: problem.ref, code: problem.code, message: problem.message))
        }
    }

    func webSocketClosed(_ socket: WebSocketConnection, code: WebSocketCloseCode?) {
        let loop = socket.loop
        if let expiryTimer { loop.cancel(expiryTimer) }
        if let replayedReceiptsTimer { loop.cancel(replayedReceiptsTimer) }
        for entry in typing.values { loop.cancel(entry.expiry) }
        typing = [:]
        if code == .tooFarBehind {
            Log.warn("websocket too far behind", ["user": String(user.id), "session": String(sessionID)])
        }
        hub.loopHub(for: loop)?.remove(self)
        hub.closed(self)
        hub.leaveCalls(CallParty(user: user.id, session: sessionID))
        self.socket = nil
    }

    // MARK: Delivery

    /// Queues a fan-out frame; false when skipped (a droppable frame for a socket behind, or
    /// one that arrives while the replay is being read).
    func deliver(_ frame: SharedBytes, droppable: Bool, version: Int64?) -> Bool {
        guard let socket, socket.isOpen else { return false }
        if since != nil {
            guard !droppable else { return false }
            held.append((frame, version))
            if held.count > Replay.limit { socket.close(.replayOverflow) }
            return true
        }
        // In a cluster a stored change can arrive live after the replay already sent it.
        if let version, version <= replayedUpTo { return true }
        if droppable, !replayedReceipts.isEmpty, replayedReceipts.contains(Array(frame.bytes)) { return true }
        let queued = socket.queuedBytes
        if droppable && queued > hub.configuration.droppableBacklogBytes { return false }
        if queued + frame.count > hub.configuration.socket.outboundLimit {
            hub.statistics.slowConsumersClosed.add(1, ordering: .relaxed)
            socket.close(.slowConsumer)
            return false
        }
        socket.send(frame: frame)
        return true
    }

    /// The hub could not keep this socket's stream whole; `since` replays what it missed.
    func closeForResync() {
        socket?.close(.resync)
    }

    func closeForExpiredToken() {
        socket?.close(.credentialsEnded)
    }

    func closeForDeactivation() {
        socket?.close(.accountDeactivated)
    }

    private func send(_ frame: [UInt8]) {
        socket?.send(frame: frame)
    }

    /// Sends `frame` from any thread, on this socket's loop.
    private func sendLater(_ frame: [UInt8]) {
        guard let loop else { return }
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
        case .send(let conversation, let fields):
            let box = ChatSocketBox(socket: self)
            let clientID = fields["client_id"]?.stringValue
            actions.send(conversationID: conversation, fields: fields, from: user.id, session: sessionID) { result in
                switch result {
                case .success(let message):
                    box.socket.sendLater(ServerFrame.ack(ref: frame.ref, clientID: clientID, message: message))
                case .failure(let error):
                    box.socket.sendLater(ServerFrame.error(ref: frame.ref, code: error.code, message: error.message))
                }
            }
        case .call(let command):
            hub.call(command, from: CallParty(user: user.id, session: sessionID), ref: frame.ref)
        case .read(let conversation, let message):
            let box = ChatSocketBox(socket: self)
            actions.markRead(conversationID: conversation, messageID: message, by: user.id) { result in
                if case .failure(let error) = result {
                    box.socket.sendLater(ServerFrame.error(ref: frame.ref, code: error.code, message: error.message))
                }
            }
        }
    }

    /// A seed-002 `message.send`: the sender sees its message as the `message.new` every
    /// member's socket gets, so success sends nothing here.
    private func performSeedTwo(_ message: [UInt8], in conversation: Int64) {
        switch SeedTwoFrame.parse(message) {
        case .success(let fields):
            let box = ChatSocketBox(socket: self)
            actions.send(conversationID: conversation, fields: fields, from: user.id, session: sessionID) { result in
                if case .failure(let error) = result {
                    box.socket.sendLater(ServerFrame.error(ref: nil, code: error.code, message: error.message))
                }
            }
        case .failure(let problem):
            send(ServerFrame.error(ref: nil, code: problem.code, message: problem.message))
        }
    }

    private func typing(_ conversation: Int64, start: Bool, ref frame: ClientFrame) {
        guard let loop = socket?.loop else { return }
        let now = loop.now
        if start {
            if let previous = typing[conversation] {
                loop.cancel(previous.expiry)
                if now - previous.sentAt < hub.configuration.typingThrottleMilliseconds {
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
        loop.schedule(after: hub.configuration.typingTimeoutMilliseconds) { [self] in
            guard typing.removeValue(forKey: conversation) != nil else { return }
            forwardTyping(conversation, start: false, ref: nil)
        }
    }

    private func forwardTyping(_ conversation: Int64, start: Bool, ref: JSONValue?) {
        let box = ChatSocketBox(socket: self)
        hub.typing(in: conversation, by: user.id, start: start) {
            box.socket.sendLater(ServerFrame.error(ref: ref, code: "not_found", message: "No such conversation."))
        }
    }
}

/// Carries a socket to another thread, which only uses it through `loop.execute`
/// (`sendLater`) or reads its immutable fields.
/// `@unchecked Sendable`: every mutable member is touched on the socket's loop only.
struct ChatSocketBox: @unchecked Sendable {
    let socket: ChatSocket
}
