internal import CCrypto

/// Incremental SHA-256, for data that arrives in pieces (streamed uploads).
///
/// A class so the libcrypto context has one owner and is freed exactly once. Not `Sendable`:
/// the context is mutable, so a hasher belongs to one thread at a time.
package final class SHA256Hasher {
    private let context: OpaquePointer

    package init() {
        guard let context = EVP_MD_CTX_new() else { libraryFault("EVP_MD_CTX_new") }
        self.context = context
        start()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    package func update(_ bytes: UnsafeRawBufferPointer) {
        let status = withNonNullBase(bytes) { base, count in
            EVP_DigestUpdate(context, base, count)
        }
        guard status == 1 else { libraryFault("EVP_DigestUpdate") }
    }

    package func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Returns the digest of everything fed so far and starts over empty, ready for new data.
    package func finalize() -> [UInt8] {
        let digest = [UInt8](unsafeUninitializedCapacity: 32) { output, initialized in
            var written: UInt32 = 0
            guard EVP_DigestFinal_ex(context, output.baseAddress, &written) == 1, written == 32 else {
                libraryFault("EVP_DigestFinal_ex")
            }
            initialized = 32
        }
        start()
        return digest
    }

    private func start() {
        guard EVP_DigestInit_ex(context, MessageDigest.sha256, nil) == 1 else {
            libraryFault("EVP_DigestInit_ex")
        }
    }
}
