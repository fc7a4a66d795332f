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

    /// Appends a final, unmasked header with the shortest length encoding.
    package static func writeHeader(_ opcode: WebSocketOpcode, payloadLength: Int, into out: inout [UInt8]) {
        out.append(0x80 | opcode.rawValue)
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
