internal import CCrypto

/// Cryptographically secure random bytes from libcrypto's DRBG, for salts, tokens and ids.
package enum SecureRandom {
    /// Traps if `RAND_bytes` fails. That only happens when the operating system cannot seed the
    /// generator, never because of input; returning anyway would hand out guessable tokens and
    /// salts, and a thrown error would have no sensible recovery at any call site.
    package static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int32.max, "random byte count out of range")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            guard RAND_bytes(base, Int32(count)) == 1 else { libraryFault("RAND_bytes") }
            initialized = count
        }
    }
}
