internal import CCrypto

/// Keyed message authentication (RFC 2104) over libcrypto.
package enum HMAC {
    /// Keys are server secrets from configuration, so a key beyond libcrypto's `Int32` length
    /// limit is a programming error and traps.
    package static func sha256(key: [UInt8], message: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(key.count <= Int32.max, "HMAC key longer than libcrypto accepts")
        return [UInt8](unsafeUninitializedCapacity: 32) { output, initialized in
            var written: UInt32 = 0
            let result = key.withUnsafeBytes { key in
                withNonNullBase(key) { keyBase, keyCount in
                    withNonNullBase(message) { messageBase, messageCount in
                        CCrypto.HMAC(
                            MessageDigest.sha256, keyBase, Int32(keyCount),
                            messageBase.assumingMemoryBound(to: UInt8.self), messageCount,
                            output.baseAddress, &written)
                    }
                }
            }
            guard result != nil, written == 32 else { libraryFault("HMAC") }
            initialized = 32
        }
    }

    package static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sha256(key: key, message: $0) }
    }
}
