import PaceWebSocket

/// The header of one server frame, read from the client's side (RFC 6455 section 5.2):
/// unmasked, with a 7, 16 or 64-bit payload length.
package struct ServerFrameHeader: Equatable, Sendable {
    package var fin: Bool
    /// RSV1 on a data frame: the message is compressed (permessage-deflate).
    package var compressed = false
    package var opcode: WebSocketOpcode
    package var payloadLength: Int
    /// 2, 4 or 10 bytes.
    package var headerLength: Int

    package var frameLength: Int { headerLength + payloadLength }

    package enum ParseResult: Equatable, Sendable {
        /// Fewer bytes than the header needs.
        case needMore
        case header(ServerFrameHeader)
        /// A frame a client must fail the connection on; the text says why.
        case invalid(String)
    }

    /// Parses the header at the start of `bytes`, without consuming anything.
    /// - Parameter maxPayload: larger frames are refused rather than buffered.
    /// - Parameter deflate: permessage-deflate was agreed, so RSV1 may mark a message's first frame.
    package static func parse(_ bytes: UnsafeRawBufferPointer, maxPayload: Int, deflate: Bool = false) -> ParseResult {
        guard bytes.count >= 2 else { return .needMore }
        let first = bytes[0], second = bytes[1]
        let compressed = first & 0x40 != 0
        guard first & 0x30 == 0, !compressed || deflate else { return .invalid("reserved bits set") }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { return .invalid("reserved opcode") }
        if compressed && (opcode.isControl || opcode == .continuation) { return .invalid("RSV1 outside a message's first frame") }
        guard second & 0x80 == 0 else { return .invalid("masked server frame") }
        let fin = first & 0x80 != 0
        var length = UInt64(second & 0x7F)
        var headerLength = 2
        if length == 126 {
            guard bytes.count >= 4 else { return .needMore }
            length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            headerLength = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return .needMore }
            length = 0
            for index in 2..<10 { length = length << 8 | UInt64(bytes[index]) }
            headerLength = 10
        }
        if opcode.isControl && (!fin || length > 125) { return .invalid("bad control frame") }
        guard length <= UInt64(maxPayload) else { return .invalid("frame of \(length) bytes") }
        return .header(ServerFrameHeader(
            fin: fin, compressed: compressed, opcode: opcode, payloadLength: Int(length), headerLength: headerLength
        ))
    }
}
