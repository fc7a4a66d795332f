/// Turning the unmasked payload of a complete control frame into an event.
enum WebSocketControlFrame {
    /// The event for a close, ping or pong frame whose payload is `payload`.
    static func event(_ opcode: WebSocketOpcode, payload: [UInt8]) -> WebSocketEvent {
        switch opcode {
        case .ping: .ping(payload)
        case .pong: .pong(payload)
        default: close(payload)
        }
    }

    /// Validates a close payload (section 5.5.1): empty, or a valid two-byte code followed by
    /// a UTF-8 reason. A lone byte or a code no peer may send is a protocol error (1002); a
    /// reason that is not UTF-8 is invalid payload data (1007).
    static func close(_ payload: [UInt8]) -> WebSocketEvent {
        if payload.isEmpty { return .close(code: nil, reason: []) }
        guard payload.count >= 2 else { return .fail(closeCode: .protocolError) }
        let code = WebSocketCloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
        guard code.isValidInCloseFrame else { return .fail(closeCode: .protocolError) }
        let reason = Array(payload[2...])
        var validator = UTF8Validator()
        guard validator.feed(reason), validator.isComplete else {
            return .fail(closeCode: .invalidPayload)
        }
        return .close(code: code, reason: reason)
    }
}
