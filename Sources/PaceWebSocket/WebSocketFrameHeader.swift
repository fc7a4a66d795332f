/// The header of one client frame (RFC 6455 section 5.2).
package struct WebSocketFrameHeader: Equatable, Sendable {
    package var fin: Bool
    /// RSV1: the message this frame starts is permessage-deflate compressed (RFC 7692
    /// section 6). Only ever set on the first frame of a data message.
    package var compressed: Bool
    package var opcode: WebSocketOpcode
    /// Client frames are always masked: an unmasked one fails before a header exists.
    package var mask: WebSocketMask
    package var payloadLength: Int
    /// Bytes from the frame's first byte to its payload: 6, 8 or 14.
    package var headerLength: Int

    /// What `parse` made of the bytes so far.
    package enum ParseResult: Equatable, Sendable {
        /// The header is valid so far but incomplete; offer it again with more bytes.
        case needMore
        case header(WebSocketFrameHeader)
        /// The connection must fail with this code.
        case fail(WebSocketCloseCode)
    }

    /// Parses the header at the start of `bytes` without consuming anything: a header is at
    /// most 14 bytes, so the caller re-offers a partial one rather than this keeping state.
    ///
    /// Every check runs as soon as its byte is present, so a violation fails on the byte
    /// that shows it rather than after the rest of the header arrives.
    /// - Parameters:
    ///   - inMessage: whether a fragmented message is open, which decides whether a
    ///     continuation or a new data frame is allowed.
    ///   - dataLimit: the most payload a data frame may declare before the message would
    ///     exceed its limit (1009); never negative.
    ///   - allowsCompression: whether permessage-deflate was agreed, which makes RSV1 legal
    ///     on the first frame of a data message; RSV1 anywhere else, and RSV2 or RSV3
    ///     always, fail with 1002.
    package static func parse(
        _ bytes: UnsafeRawBufferPointer, inMessage: Bool, dataLimit: Int, allowsCompression: Bool = false
    ) -> ParseResult {
        guard bytes.count >= 1 else { return .needMore }
        let first = bytes[0]
        guard first & 0x30 == 0, let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            return .fail(.protocolError)
        }
        let compressed = first & 0x40 != 0
        if compressed && !(allowsCompression && (opcode == .text || opcode == .binary)) { return .fail(.protocolError) }
        let fin = first & 0x80 != 0
        if !isAllowed(opcode, fin: fin, inMessage: inMessage) { return .fail(.protocolError) }

        guard bytes.count >= 2 else { return .needMore }
        let second = bytes[1]
        let shortLength = Int(second & 0x7F)
        guard second & 0x80 != 0, !(opcode.isControl && shortLength > 125) else {
            return .fail(.protocolError)
        }

        let lengthResult = payloadLength(bytes, shortLength: shortLength)
        guard case .length(let length, let maskOffset) = lengthResult else {
            return lengthResult == .needMore ? .needMore : .fail(.protocolError)
        }
        if !opcode.isControl && length > UInt64(dataLimit) { return .fail(.messageTooBig) }

        guard bytes.count >= maskOffset &+ 4 else { return .needMore }
        return .header(WebSocketFrameHeader(
            fin: fin, compressed: compressed, opcode: opcode, mask: WebSocketMask(loadingFrom: bytes, at: maskOffset),
            payloadLength: Int(length), headerLength: maskOffset &+ 4
        ))
    }

    /// Checks that only make sense with the message state: control frames may not be
    /// fragmented, continuations need an open message, and data frames may not start one
    /// while another is open (section 5.4).
    private static func isAllowed(_ opcode: WebSocketOpcode, fin: Bool, inMessage: Bool) -> Bool {
        switch opcode {
        case .continuation: inMessage
        case .text, .binary: !inMessage
        case .close, .ping, .pong: fin
        }
    }

    private enum LengthResult: Equatable {
        case needMore
        case invalid
        /// The payload length and where the masking key starts.
        case length(UInt64, maskOffset: Int)
    }

    /// Decodes the 7, 16 or 64-bit payload length. The RFC requires the minimal encoding,
    /// so a longer form holding a value a shorter one could carry is a protocol error, as is
    /// a 64-bit length with its most significant bit set.
    private static func payloadLength(_ bytes: UnsafeRawBufferPointer, shortLength: Int) -> LengthResult {
        switch shortLength {
        case 126:
            guard bytes.count >= 4 else { return .needMore }
            let length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            return length < 126 ? .invalid : .length(length, maskOffset: 4)
        case 127:
            guard bytes.count >= 3 else { return .needMore }
            guard bytes[2] & 0x80 == 0 else { return .invalid }
            guard bytes.count >= 10 else { return .needMore }
            var length: UInt64 = 0
            for index in 2..<10 {
                length = length << 8 | UInt64(bytes[index])
            }
            return length <= 0xFFFF ? .invalid : .length(length, maskOffset: 10)
        default:
            return .length(UInt64(shortLength), maskOffset: 2)
        }
    }
}
