import CZlib

/// A raw-deflate decompressor for permessage-deflate messages (RFC 7692 section 7.2.2) whose
/// output never grows past a limit: a small payload that would inflate to gigabytes (a
/// decompression bomb) stops with `.tooLarge` once the limit is reached, having allocated no
/// more than the limit. With client context takeover a connection keeps one of these between
/// messages; without it, one per loop serves every such connection. Confined to one thread.
package final class MessageInflater {
    /// Bytes inflated per zlib call, on the stack: the message array grows only by what
    /// zlib actually produced.
    private static let chunkBytes = 16 * 1024
    /// Appended to every message before inflating (section 7.2.2): the sender removed it.
    private static let flushMarker: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// Owned: allocated in `init`, ended and freed in `deinit`; zlib keeps pointers into it.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Inflates a peer's messages compressed with a window of at most `2^windowBits` bytes
    /// (8 to 15). zlib allocates the window itself on the first message.
    /// - Returns: nil when zlib cannot allocate its state.
    package init?(windowBits: Int) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard pace_inflate_init(stream, -Int32(min(15, max(8, windowBits)))) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates one message's payload, at most `limit` bytes of it.
    /// - Parameter keepContext: whether the window carries over to the next message (the
    ///   peer's context takeover); without it, and after any error, the state is reset.
    package func inflate(_ payload: UnsafeRawBufferPointer, limit: Int, keepContext: Bool) -> Result<[UInt8], InflateError> {
        // No block at all: an empty message. The flush marker alone would leave zlib inside
        // an unfinished stored block, breaking the context for the next message.
        if payload.isEmpty { return .success([]) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(256, payload.count &* 4)))
        var result = feed(payload, limit: limit, into: &output)
        if case .success(false) = result {
            result = Self.flushMarker.withUnsafeBytes { feed($0, limit: limit, into: &output) }
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        switch result {
        case .success(let ended):
            if ended || !keepContext { inflateReset(stream) }
            return .success(output)
        case .failure(let error):
            inflateReset(stream)
            return .failure(error)
        }
    }

    /// Runs `input` through zlib, appending what comes out; true once the stream ended (a
    /// final block), after which the rest of the message is ignored.
    private func feed(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout [UInt8]) -> Result<Bool, InflateError> {
        guard !input.isEmpty else { return .success(false) }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.chunkBytes) { chunk in
            while true {
                stream.pointee.next_out = chunk.baseAddress
                stream.pointee.avail_out = uInt(chunk.count)
                let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                let produced = chunk.count &- Int(stream.pointee.avail_out)
                if produced > limit &- output.count { return .failure(.tooLarge) }
                if produced > 0 { Self.append(chunk[..<produced], to: &output, limit: limit) }
                switch status {
                case Z_STREAM_END:
                    return .success(true)
                case Z_OK where stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0:
                    continue
                case Z_OK, Z_BUF_ERROR:
                    // All input consumed and nothing more pending: the message's bytes so far.
                    return .success(false)
                case Z_MEM_ERROR:
                    return .failure(.outOfMemory)
                default:
                    return .failure(.corrupt)
                }
            }
        }
    }

    /// Appends with growth capped at `limit`, so the array's storage never exceeds it.
    private static func append(_ bytes: Slice<UnsafeMutableBufferPointer<UInt8>>, to output: inout [UInt8], limit: Int) {
        let needed = output.count &+ bytes.count
        if needed > output.capacity {
            output.reserveCapacity(min(limit, max(needed, output.capacity &* 2)))
        }
        output.append(contentsOf: bytes)
    }
}
