/// Encodes server frames (RFC 6455 section 5.2): always final, never masked, since a server
/// must not mask and Pace never fragments what it sends.
package enum WebSocketFrameWriter {
    /// Control frame payloads are capped by the RFC (section 5.5).
    package static let maxControlPayload = 125

    /// The header size for a payload of `payloadLength` bytes: 2, 4 or 10.
    package static func headerLength(payloadLength: Int) -> Int {
        switch payloadLength {
        case ..<126: 2
        case ...0xFFFF: 4
        default: 10
        }
    }

    /// Appends a final, unmasked header with the shortest length encoding; `compressed` sets
    /// RSV1 (a permessage-deflate message, RFC 7692 section 6).
    package static func writeHeader(
        _ opcode: WebSocketOpcode, payloadLength: Int, compressed: Bool = false, into out: inout [UInt8]
    ) {
        out.append(0x80 | (compressed ? 0x40 : 0) | opcode.rawValue)
        let length = UInt64(max(0, payloadLength))
        switch length {
        case ..<126:
            out.append(UInt8(length))
        case ...0xFFFF:
            out.append(126)
            out.append(UInt8(truncatingIfNeeded: length >> 8))
            out.append(UInt8(truncatingIfNeeded: length))
        default:
            out.append(127)
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: length >> UInt64(shift)))
            }
        }
    }

    package static func writeText(_ payload: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        writeFrame(.text, payload, into: &out)
    }

    package static func writeText(_ payload: [UInt8], into out: inout [UInt8]) {
        payload.withUnsafeBytes { writeFrame(.text, $0, into: &out) }
    }

    package static func writeBinary(_ payload: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        writeFrame(.binary, payload, into: &out)
    }

    package static func writeBinary(_ payload: [UInt8], into out: inout [UInt8]) {
        payload.withUnsafeBytes { writeFrame(.binary, $0, into: &out) }
    }

    /// Appends a ping; a payload over 125 bytes is cut to 125 so the frame stays legal.
    package static func writePing(_ payload: [UInt8] = [], into out: inout [UInt8]) {
        writeControl(.ping, payload.prefix(maxControlPayload), into: &out)
    }

    /// Appends a pong, normally echoing a ping's payload (never over 125 bytes, as the reader
    /// enforces); a longer one is cut to 125.
    package static func writePong(_ payload: [UInt8], into out: inout [UInt8]) {
        writeControl(.pong, payload.prefix(maxControlPayload), into: &out)
    }

    /// Appends a close frame: empty when `code` is nil (the echo of an empty close),
    /// otherwise the code and `reason`, cut at a character boundary to fit 123 bytes.
    package static func writeClose(code: WebSocketCloseCode?, reason: [UInt8] = [], into out: inout [UInt8]) {
        guard let code else {
            writeControl(.close, [], into: &out)
            return
        }
        let fitted = reason.prefix(characterBoundary(reason, limit: maxControlPayload &- 2))
        writeHeader(.close, payloadLength: 2 &+ fitted.count, into: &out)
        out.append(UInt8(truncatingIfNeeded: code.rawValue >> 8))
        out.append(UInt8(truncatingIfNeeded: code.rawValue))
        out.append(contentsOf: fitted)
    }

    /// A complete text frame in an array of exactly its size, encoded once and then written
    /// to any number of connections.
    package static func textFrame(_ payload: [UInt8]) -> [UInt8] {
        payload.withUnsafeBytes { textFrame($0) }
    }

    /// A complete text frame in an array of exactly its size, encoded once and then written
    /// to any number of connections.
    package static func textFrame(_ payload: UnsafeRawBufferPointer) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(headerLength(payloadLength: payload.count) &+ payload.count)
        writeFrame(.text, payload, into: &frame)
        return frame
    }

    /// A complete data frame with RSV1 set around an already compressed payload, in an array
    /// of exactly its size.
    package static func compressedFrame(_ opcode: WebSocketOpcode, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(headerLength(payloadLength: payload.count) &+ payload.count)
        writeHeader(opcode, payloadLength: payload.count, compressed: true, into: &frame)
        frame.append(contentsOf: payload)
        return frame
    }

    /// The opcode and payload range of a complete frame this writer encoded, so a frame built
    /// once can be re-encoded compressed; nil for anything else.
    package static func dataFrameParts(_ frame: UnsafeRawBufferPointer) -> (opcode: WebSocketOpcode, payload: Range<Int>)? {
        guard frame.count >= 2, frame[0] & 0xF0 == 0x80, frame[1] & 0x80 == 0,
              let opcode = WebSocketOpcode(rawValue: frame[0] & 0x0F), opcode == .text || opcode == .binary else {
            return nil
        }
        var length = Int(frame[1])
        var start = 2
        if length == 126 || length == 127 {
            let width = length == 126 ? 2 : 8
            guard frame.count >= 2 &+ width else { return nil }
            length = 0
            for index in 2..<(2 &+ width) { length = length << 8 | Int(frame[index]) }
            start = 2 &+ width
        }
        guard length >= 0, frame.count &- start == length else { return nil }
        return (opcode, start..<frame.count)
    }

    private static func writeFrame(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        writeHeader(opcode, payloadLength: payload.count, into: &out)
        payload.withMemoryRebound(to: UInt8.self) { out.append(contentsOf: $0) }
    }

    private static func writeControl(_ opcode: WebSocketOpcode, _ payload: ArraySlice<UInt8>, into out: inout [UInt8]) {
        writeHeader(opcode, payloadLength: payload.count, into: &out)
        out.append(contentsOf: payload)
    }

    /// The longest prefix of `bytes`, at most `limit` long, that does not split a UTF-8
    /// sequence: a truncated reason must stay valid or the peer fails the close with 1007.
    private static func characterBoundary(_ bytes: [UInt8], limit: Int) -> Int {
        guard bytes.count > limit else { return bytes.count }
        var end = limit
        while end > 0, bytes[end] & 0xC0 == 0x80 {
            end &-= 1
        }
        return end
    }
}
