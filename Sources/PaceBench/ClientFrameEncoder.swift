import PaceWebSocket

/// Encodes client frames: final, masked with a fresh key each (RFC 6455 section 5.3).
package enum ClientFrameEncoder {
    /// Appends one masked frame carrying `payload`.
    package static func append(
        _ opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, maskKey: UInt32, to out: inout [UInt8]
    ) {
        let start = out.count
        WebSocketFrameWriter.writeHeader(opcode, payloadLength: payload.count, into: &out)
        out[start + 1] |= 0x80
        let key = (UInt8(truncatingIfNeeded: maskKey >> 24), UInt8(truncatingIfNeeded: maskKey >> 16),
                   UInt8(truncatingIfNeeded: maskKey >> 8), UInt8(truncatingIfNeeded: maskKey))
        out.append(key.0)
        out.append(key.1)
        out.append(key.2)
        out.append(key.3)
        let payloadStart = out.count
        out.append(contentsOf: payload)
        out.withUnsafeMutableBytes { all in
            WebSocketMask(key.0, key.1, key.2, key.3)
                .apply(to: UnsafeMutableRawBufferPointer(rebasing: all[payloadStart...]), payloadOffset: 0)
        }
    }

    package static func append(
        _ opcode: WebSocketOpcode, payload: [UInt8], maskKey: UInt32, to out: inout [UInt8]
    ) {
        payload.withUnsafeBytes { append(opcode, payload: $0, maskKey: maskKey, to: &out) }
    }
}

/// A xorshift generator for masking keys: they only have to be unpredictable to
/// intermediaries, and a libcrypto call per frame would show in the measurements.
package struct MaskKeyGenerator: Sendable {
    private var state: UInt64

    /// - Parameter seed: any value; zero is replaced, since xorshift never leaves zero.
    package init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    package mutating func next() -> UInt32 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt32(truncatingIfNeeded: state >> 16)
    }
}
