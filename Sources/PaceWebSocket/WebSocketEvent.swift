/// What the reader made of the client's bytes.
///
/// Every payload is an array the event owns outright: the reader keeps no reference to it,
/// so it can be stored, decoded or moved to another thread without a copy.
package enum WebSocketEvent: Equatable, Sendable {
    /// A complete text message, already checked to be valid UTF-8.
    case text([UInt8])
    /// A complete binary message.
    case binary([UInt8])
    /// A complete message whose frames carried RSV1: its payload is still permessage-deflate
    /// compressed and, for text, not yet checked. Inflate it, then make it an event with
    /// `WebSocketEvent.inflated`.
    case compressed(isText: Bool, payload: [UInt8])
    /// A ping; answer with a pong carrying the same payload (section 5.5.2).
    case ping([UInt8])
    /// A pong, solicited or not.
    case pong([UInt8])
    /// The peer's close frame, already validated: `code` is nil for an empty payload,
    /// `reason` is valid UTF-8. Echo the code (or an empty close when nil) unless a close was
    /// already sent, then close TCP once the echo is written. The reader reads nothing more.
    case close(code: WebSocketCloseCode?, reason: [UInt8])
    /// The peer broke the protocol: send a close frame with this code (1002, 1007 or 1009)
    /// and close TCP without waiting. The reader reads nothing more.
    case fail(closeCode: WebSocketCloseCode)
}

extension WebSocketEvent {
    /// The event for a message once inflated: `.text` only when it is valid UTF-8, otherwise
    /// a failure with 1007, as for an uncompressed message.
    package static func inflated(isText: Bool, payload: [UInt8]) -> WebSocketEvent {
        guard isText else { return .binary(payload) }
        var validator = UTF8Validator()
        guard validator.feed(payload), validator.isComplete else { return .fail(closeCode: .invalidPayload) }
        return .text(payload)
    }
}

/// The outcome of one `WebSocketReader.read` call.
package struct WebSocketReadResult: Equatable, Sendable {
    /// Bytes of the input the reader is done with; drop them before the next call.
    package var consumed: Int
    /// The next event, or nil when the input holds no more complete events.
    package var event: WebSocketEvent?

    package init(consumed: Int, event: WebSocketEvent?) {
        self.consumed = consumed
        self.event = event
    }
}
