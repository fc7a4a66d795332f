/// The masking key of a client frame (RFC 6455 section 5.3).
package struct WebSocketMask: Equatable, Sendable {
    /// The four key bytes in wire order, held in memory order so no byte swap is needed.
    private var key: UInt32

    /// The key from its four wire bytes.
    package init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        var key: UInt32 = 0
        withUnsafeMutableBytes(of: &key) { bytes in
            bytes[0] = b0
            bytes[1] = b1
            bytes[2] = b2
            bytes[3] = b3
        }
        self.key = key
    }

    /// The key at `offset` in `bytes`, which must hold four bytes there.
    init(loadingFrom bytes: UnsafeRawBufferPointer, at offset: Int) {
        key = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    /// XORs `count` bytes from `source` into `destination`, which may be the same memory.
    /// `payloadOffset` is how far into the frame's payload `source` starts: a payload that
    /// arrives in pieces resumes the key where the previous piece left it.
    package func apply(
        from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer,
        count: Int, payloadOffset: Int
    ) {
        let word = wideKey(startingAt: payloadOffset)
        var index = 0
        while count &- index >= 8 {
            let masked = source.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ word
            destination.storeBytes(of: masked, toByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        withUnsafeBytes(of: word) { keyBytes in
            var keyIndex = 0
            while index < count {
                let byte = source.load(fromByteOffset: index, as: UInt8.self) ^ keyBytes[keyIndex]
                destination.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
                index &+= 1
                keyIndex &+= 1
            }
        }
    }

    /// Unmasks `bytes` in place.
    package func apply(to bytes: UnsafeMutableRawBufferPointer, payloadOffset: Int) {
        guard let base = bytes.baseAddress else { return }
        apply(from: base, to: base, count: bytes.count, payloadOffset: payloadOffset)
    }

    /// Eight key bytes in memory order, rotated so the first masks payload byte `offset`.
    private func wideKey(startingAt offset: Int) -> UInt64 {
        var word: UInt64 = 0
        withUnsafeBytes(of: key) { keyBytes in
            withUnsafeMutableBytes(of: &word) { wide in
                for index in 0..<8 {
                    wide[index] = keyBytes[(index &+ offset) & 3]
                }
            }
        }
        return word
    }
}

extension WebSocketMask {
    /// A new array holding `masked` unmasked: the one allocation a whole frame costs, and the
    /// only pass over its bytes besides validation.
    package func unmasked(_ masked: UnsafeRawBufferPointer, payloadOffset: Int = 0) -> [UInt8] {
        guard let source = masked.baseAddress, masked.count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: masked.count) { buffer, initialized in
            if let destination = buffer.baseAddress {
                apply(from: source, to: destination, count: masked.count, payloadOffset: payloadOffset)
            }
            initialized = masked.count
        }
    }
}
