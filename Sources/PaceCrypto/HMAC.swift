internal import CCrypto

/// Keyed message authentication (RFC 2104) over libcrypto.
package enum HMAC {
    /// Keys are server secrets from configuration, so a key beyond libcrypto's `Int32` length
    /// limit is a programming error and traps.
    package static func sha256(key: [UInt8], message: UnsafeRawBufferPointer) -> [UInt8] {
        mac(MessageDigest.sha256, size: 32, key: key, message: message)
    }

    package static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { sha256(key: key, message: $0) }
    }

    /// HMAC-SHA1, for protocols that fix it (TURN's REST credentials, as coturn checks them).
    package static func sha1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { mac(MessageDigest.sha1, size: 20, key: key, message: $0) }
    }

    private static func mac(_ digest: OpaquePointer, size: Int, key: [UInt8], message: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(key.count <= Int32.max, "HMAC key longer than libcrypto accepts")
        return [UInt8](unsafeUninitializedCapacity: size) { output, initialized in
            var written: UInt32 = 0
            let result = key.withUnsafeBytes { key in
                withNonNullBase(key) { keyBase, keyCount in
                    withNonNullBase(message) { messageBase, messageCount in
                        CCrypto.HMAC(
                            digest, keyBase, Int32(keyCount),
                            messageBase.assumingMemoryBound(to: UInt8.self), messageCount,
                            output.baseAddress, &written)
                    }
                }
            }
            guard result != nil, written == size else { libraryFault("HMAC") }
            initialized = size
        }
    }
}
