import PaceDeflate
import PaceLoop
import PaceWebSocket

/// The permessage-deflate state of one loop: a compressor per window size and one inflater
/// for clients without context takeover, shared by every WebSocket of the loop, so a socket
/// that negotiated deflate costs nothing until it sends a compressed message with context
/// takeover (then it holds its own inflater). Confined to the loop thread.
final class WebSocketCompression {
    /// Payloads shorter than this go out uncompressed: deflate's few bytes of framing and the
    /// CPU would buy nothing on a presence or typing event.
    static let minimumPayload = 200
    /// Fan-out frames whose compressed form is kept: a fan-out queues one frame on every
    /// socket of the loop in a row, so one entry per window size in use is enough.
    private static let rememberedFrames = 4

    private var deflaters: [Int: MessageDeflater] = [:]
    private var sharedInflater: MessageInflater?
    /// Most recent first. Holding `source` keeps its identity from being reused.
    private var remembered: [(source: SharedBytes, windowBits: Int, frame: SharedBytes)] = []

    /// `frame` (a complete frame from `WebSocketFrameWriter`) as the receiver should get it:
    /// compressed once per loop and window size, then the same bytes for every socket; the
    /// frame itself when it is small or does not shrink.
    func frame(_ frame: SharedBytes, windowBits requested: Int) -> SharedBytes {
        // Header included, so a shorter frame's payload is surely below the threshold too.
        guard frame.count >= Self.minimumPayload else { return frame }
        let windowBits = max(9, requested)
        if let hit = remembered.first(where: { $0.source === frame && $0.windowBits == windowBits }) {
            return hit.frame
        }
        let result = compressedFrame(frame.bytes, windowBits: windowBits).map { SharedBytes($0) } ?? frame
        if remembered.count == Self.rememberedFrames { remembered.removeLast() }
        remembered.insert((frame, windowBits, result), at: 0)
        return result
    }

    /// The compressed form of a complete frame from `WebSocketFrameWriter`, or nil to send it
    /// as it is.
    func compressedFrame(_ frame: UnsafeRawBufferPointer, windowBits: Int) -> [UInt8]? {
        guard let (opcode, range) = WebSocketFrameWriter.dataFrameParts(frame) else { return nil }
        return compressedFrame(opcode, payload: UnsafeRawBufferPointer(rebasing: frame[range]), windowBits: windowBits)
    }

    /// A compressed frame for `payload`, or nil when it is too small to bother, does not
    /// shrink, or zlib failed.
    func compressedFrame(_ opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, windowBits: Int) -> [UInt8]? {
        guard payload.count >= Self.minimumPayload, let deflater = deflater(windowBits),
              let compressed = deflater.compress(payload), compressed.count < payload.count else { return nil }
        return WebSocketFrameWriter.compressedFrame(opcode, payload: compressed)
    }

    /// Inflates a message from a client that resets its window after every message.
    func inflateWithoutContext(_ payload: [UInt8], limit: Int) -> Result<[UInt8], InflateError> {
        if sharedInflater == nil { sharedInflater = MessageInflater(windowBits: 15) }
        guard let sharedInflater else { return .failure(.outOfMemory) }
        return payload.withUnsafeBytes { sharedInflater.inflate($0, limit: limit, keepContext: false) }
    }

    private func deflater(_ maxWindowBits: Int) -> MessageDeflater? {
        let bits = max(9, maxWindowBits)
        if let deflater = deflaters[bits] { return deflater }
        let deflater = MessageDeflater(maxWindowBits: bits)
        deflaters[bits] = deflater
        return deflater
    }
}
