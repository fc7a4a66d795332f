import CZlib

/// A raw-deflate compressor for permessage-deflate messages (RFC 7692 section 7.2.1) that
/// keeps no context between messages: each one is compressed from an empty window, so one
/// compressor per loop thread serves every connection of that loop with the same window size,
/// and a fan-out event compresses once for all of them. Confined to one thread.
package final class MessageDeflater {
    /// The zlib window actually used: 9 to 15.
    package let windowBits: Int
    /// Owned: allocated in `init`, ended and freed in `deinit`; zlib keeps pointers into it.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Compresses with a window of at most `2^maxWindowBits` bytes. zlib has no raw 8-bit
    /// window, but its 9-bit one never emits a distance past 250 (window minus its 262-byte
    /// lookahead), so it serves a peer that allowed only 8.
    /// - Returns: nil when zlib cannot allocate its state.
    package init?(maxWindowBits: Int, level: Int32 = 6) {
        windowBits = min(15, max(9, maxWindowBits))
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard pace_deflate_init(stream, level, -Int32(windowBits)) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The compressed payload of one message: raw deflate ended by a sync flush, without the
    /// flush's trailing `00 00 FF FF` (section 7.2.1). Nil when zlib fails, which a caller
    /// answers by sending the message uncompressed.
    package func compress(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard input.count < Int(UInt32.max) / 2 else { return nil }
        defer { deflateReset(stream) }
        // deflateBound covers a finished stream; a sync flush adds an empty stored block.
        let bound = Int(deflateBound(stream, uLong(input.count))) &+ 16
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = uInt(bound)
            let status = deflate(stream, Z_SYNC_FLUSH)
            // With input left over or no room left, the flush did not complete.
            guard status == Z_OK, stream.pointee.avail_in == 0, stream.pointee.avail_out > 0 else {
                failed = true
                count = 0
                return
            }
            let produced = bound &- Int(stream.pointee.avail_out)
            count = Self.endsWithFlushMarker(buffer, produced) ? produced &- 4 : produced
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return failed ? nil : output
    }

    private static func endsWithFlushMarker(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ count: Int) -> Bool {
        count >= 4 && buffer[count &- 4] == 0 && buffer[count &- 3] == 0
            && buffer[count &- 2] == 0xFF && buffer[count &- 1] == 0xFF
    }
}
