import PaceDeflate
import PaceLoop
import PaceSystem
import PaceWebSocket

/// RFC 6455 on one upgraded connection: frames parsed in place by `WebSocketReader`, messages
/// handed to the handler, pings after silence, and the close handshake in both directions.
/// Once our close frame is queued no data frame follows it (RFC 6455 section 5.5.1): every
/// send goes through the open-check here, which is why the connection itself stays private.
/// With permessage-deflate agreed, data frames of 200 bytes or more go out compressed by the
/// loop's shared compressor, and compressed messages are inflated here before the handler
/// sees them. Confined to its loop thread.
package final class WebSocketConnection: ConnectionDelegate {
    private enum State {
        case open
        /// We sent a close frame and wait for the peer's.
        case closing
        case closed
    }

    private let connection: Connection
    private let handler: WebSocketHandler
    private let configuration: WebSocketConfiguration
    private unowned let context: HTTPLoopContext
    private var reader: WebSocketReader
    /// The agreed permessage-deflate parameters, nil when not negotiated.
    private let deflate: PerMessageDeflateParameters?
    /// Created on the first compressed message, only when the client keeps its context
    /// between messages; otherwise the loop's shared inflater serves.
    private var inflater: MessageInflater?
    private var state = State.open
    private var unansweredPings = 0
    private var closeCode: WebSocketCloseCode?
    /// Drops TCP when the peer has not answered our close in time. A timer of its own, because
    /// the registry's deadline sweep runs only once a second.
    private var closeTimer: TimerID?

    init(connection: Connection, handler: WebSocketHandler, configuration: WebSocketConfiguration,
         deflate: PerMessageDeflateParameters?, context: HTTPLoopContext) {
        self.connection = connection
        self.handler = handler
        self.configuration = configuration
        self.deflate = deflate
        self.context = context
        reader = WebSocketReader(maxMessageBytes: configuration.maxMessageBytes, allowsCompression: deflate != nil)
        // Frames are consumed as they arrive; only a partial header can wait in the buffer,
        // but a partial message's payload stays inside the reader, not the connection.
        connection.inboundLimit = 64 * 1024
        // The application enforces its own, smaller bound (4000) before this one is reached.
        connection.outboundLimit = configuration.outboundLimit * 2
        // Tens of thousands of sockets mostly idle: none keeps a buffer between writes.
        connection.retainedOutboundCapacity = 0
        armPing()
    }

    /// The loop this socket lives on, for the handler's timers and cross-thread hand-offs.
    package var loop: EventLoop { connection.loop }

    /// Queued outbound bytes, for the application's slow-consumer policy.
    package var queuedBytes: Int { connection.queuedBytes }
    package var isOpen: Bool { if case .open = state { true } else { false } }

    // MARK: Sending

    package func send(text: [UInt8]) {
        guard isOpen else { return }
        if let frame = compressed(.text, text) { return connection.send { $0.append(contentsOf: frame) } }
        connection.send { WebSocketFrameWriter.writeText(text, into: &$0) }
    }

    package func send(binary: [UInt8]) {
        guard isOpen else { return }
        if let frame = compressed(.binary, binary) { return connection.send { $0.append(contentsOf: frame) } }
        connection.send { WebSocketFrameWriter.writeBinary(binary, into: &$0) }
    }

    /// Sends a complete frame encoded once for many recipients (`WebSocketFrameWriter.textFrame`).
    /// With deflate, the loop compresses it once for every socket sharing this one's window.
    package func send(frame: SharedBytes) {
        guard isOpen else { return }
        if let deflate {
            connection.send(context.compression.frame(frame, windowBits: deflate.serverMaxWindowBits))
        } else {
            connection.send(frame)
        }
    }

    /// Sends a complete frame encoded by the caller (`WebSocketFrameWriter.textFrame`).
    package func send(frame: [UInt8]) {
        guard isOpen else { return }
        let compressed = deflate.flatMap { deflate in
            frame.withUnsafeBytes { context.compression.compressedFrame($0, windowBits: deflate.serverMaxWindowBits) }
        }
        connection.send { $0.append(contentsOf: compressed ?? frame) }
    }

    private func compressed(_ opcode: WebSocketOpcode, _ payload: [UInt8]) -> [UInt8]? {
        guard let deflate else { return nil }
        return payload.withUnsafeBytes {
            context.compression.compressedFrame(opcode, payload: $0, windowBits: deflate.serverMaxWindowBits)
        }
    }

    /// Starts the close handshake for `cause`; the handler hears `webSocketClosed` once the
    /// peer answers or the close timeout passes. Nothing but control frames follows.
    package func close(_ cause: WebSocketCloseCause) {
        guard isOpen else { return }
        if cause.dropsBacklog { connection.dropBacklog() }
        state = .closing
        closeCode = cause.code
        connection.send { WebSocketFrameWriter.writeClose(code: cause.code, reason: Array(cause.reason.utf8), into: &$0) }
        connection.deadline = 0
        // Strong capture: `connectionClosed` cancels the timer, so it never outlives the socket.
        closeTimer = context.loop.schedule(after: configuration.closeTimeoutMilliseconds) { [self] in
            closeTimer = nil
            connection.close(.timeout)
        }
    }

    // MARK: ConnectionDelegate

    package func connection(_ connection: Connection, received bytes: UnsafeRawBufferPointer) -> Int {
        var consumed = 0
        while consumed < bytes.count, !connection.isClosed {
            let result = reader.read(UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
            consumed += result.consumed
            guard let event = result.event else { break }
            unansweredPings = 0
            handle(event)
        }
        if isOpen { armPing() }
        return consumed
    }

    private func handle(_ event: WebSocketEvent) {
        switch event {
        case .text(let message):
            if isOpen { handler.webSocket(self, received: message, isText: true) }
        case .binary(let message):
            if isOpen { handler.webSocket(self, received: message, isText: false) }
        case .compressed(let isText, let payload):
            if isOpen { handle(inflate(payload, isText: isText)) }
        case .ping(let payload):
            if isOpen { connection.send { WebSocketFrameWriter.writePong(payload, into: &$0) } }
        case .pong:
            break
        case .close(let code, _):
            finish(code)
        case .fail(let code):
            finish(code)
        }
    }

    /// The event for a compressed message: bounded by the message limit (1009 past it), 1007
    /// for bytes that are not deflate or not UTF-8 text, 1011 when zlib has no memory.
    private func inflate(_ payload: [UInt8], isText: Bool) -> WebSocketEvent {
        let limit = configuration.maxMessageBytes
        let result: Result<[UInt8], InflateError>
        if deflate?.clientNoContextTakeover ?? true {
            result = context.compression.inflateWithoutContext(payload, limit: limit)
        } else {
            if inflater == nil { inflater = MessageInflater(windowBits: deflate?.clientMaxWindowBits ?? 15) }
            guard let inflater else { return .fail(closeCode: .internalError) }
            result = payload.withUnsafeBytes { inflater.inflate($0, limit: limit, keepContext: true) }
        }
        switch result {
        case .success(let message): return .inflated(isText: isText, payload: message)
        case .failure(.tooLarge): return .fail(closeCode: .messageTooBig)
        case .failure(.corrupt): return .fail(closeCode: .invalidPayload)
        case .failure(.outOfMemory): return .fail(closeCode: .internalError)
        }
    }

    /// Ends the connection after the peer's close (echoing its code) or a protocol failure
    /// (sending ours); if we had already sent a close, this was the answer to it.
    private func finish(_ code: WebSocketCloseCode?) {
        if isOpen {
            closeCode = code
            connection.send { WebSocketFrameWriter.writeClose(code: code, into: &$0) }
        }
        state = .closing
        connection.closeAfterFlush()
    }

    package func connectionReadClosed(_ connection: Connection) {
        connection.close(.peerClosed)
    }

    package func connectionDeadlinePassed(_ connection: Connection) {
        guard isOpen else {
            connection.close(.timeout)
            return
        }
        if unansweredPings >= 2 {
            closeCode = .abnormalClosure
            connection.close(.timeout)
            return
        }
        unansweredPings += 1
        connection.send { WebSocketFrameWriter.writePing(into: &$0) }
        armPing()
    }

    package func connectionShutdownRequested(_ connection: Connection) {
        close(.shuttingDown)
    }

    package func connectionClosed(_ connection: Connection) {
        let wasOpen = isOpen
        state = .closed
        if let closeTimer { context.loop.cancel(closeTimer) }
        closeTimer = nil
        context.connectionClosed(connection)
        if connection.closeReason.isOutboundLimit && wasOpen { closeCode = WebSocketCloseCause.slowConsumer.code }
        handler.webSocketClosed(self, code: closeCode)
    }

    private func armPing() {
        connection.deadline = context.loop.now + configuration.pingIntervalMilliseconds
    }
}

extension CloseReason {
    var isOutboundLimit: Bool { if case .outboundLimit = self { true } else { false } }
}
