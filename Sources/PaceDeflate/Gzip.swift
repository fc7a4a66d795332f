import CZlib

/// Whole-buffer gzip (RFC 1952) for static content compressed once, at start-up.
package enum Gzip {
    /// `input` as one gzip member at zlib's best compression; nil when zlib fails.
    package static func compress(_ input: [UInt8]) -> [UInt8]? {
        guard input.count < Int(UInt32.max) / 2 else { return nil }
        var stream = z_stream()
        // 15 window bits plus 16 asks zlib for the gzip wrapper instead of zlib's own.
        guard pace_deflate_init(&stream, Z_BEST_COMPRESSION, 15 + 16) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        // deflateBound leaves out the gzip header and trailer (18 bytes without a name).
        let bound = Int(deflateBound(&stream, uLong(input.count))) &+ 32
        var finished = false
        let output = input.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(bound)
                finished = deflate(&stream, Z_FINISH) == Z_STREAM_END
                count = finished ? bound &- Int(stream.avail_out) : 0
            }
        }
        return finished ? output : nil
    }
}
