/// The frame opcodes RFC 6455 section 5.2 defines; every other value is reserved and fails
/// the connection, since no extension that could define them is ever negotiated.
package enum WebSocketOpcode: UInt8, Sendable, CaseIterable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Control frames (close, ping, pong) may interleave a fragmented message but must be
    /// short and unfragmented themselves (section 5.5).
    package var isControl: Bool { rawValue & 0x8 != 0 }
}
