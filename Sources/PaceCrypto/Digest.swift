internal import CCrypto

/// One-shot message digests over libcrypto.
package enum Digest {
    /// SHA-1, for protocols that require it (the WebSocket handshake); never for security.
    package static func sha1(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        digest(bytes, algorithm: MessageDigest.sha1, length: 20)
    }

    package static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { sha1($0) }
    }

    package static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        digest(bytes, algorithm: MessageDigest.sha256, length: 32)
    }

    package static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { sha256($0) }
    }

    private static func digest(
        _ bytes: UnsafeRawBufferPointer, algorithm: OpaquePointer, length: Int
    ) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
            var written: UInt32 = 0
            let status = withNonNullBase(bytes) { base, count in
                EVP_Digest(base, count, output.baseAddress, &written, algorithm, nil)
            }
            guard status == 1, written == length else { libraryFault("EVP_Digest") }
            initialized = length
        }
    }
}
