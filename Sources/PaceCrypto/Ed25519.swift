internal import CCrypto

/// Ed25519 signatures (RFC 8032) over libcrypto: the server verifies what clients sign with
/// their device identity keys; signing is for tests and tools that play a client.
package enum Ed25519 {
    package static let publicKeyLength = 32
    package static let signatureLength = 64
    package static let seedLength = 32

    /// Whether `signature` is `publicKey`'s signature of `message`. A malformed key or
    /// signature is simply not valid.
    package static func isValidSignature(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard publicKey.count == publicKeyLength, signature.count == signatureLength,
              let key = publicKey.withUnsafeBufferPointer({
                  EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, publicKeyLength)
              }) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { libraryFault("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        let verified = signature.withUnsafeBufferPointer { signature in
            message.withUnsafeBytes { message in
                withNonNullBase(message) { base, count in
                    EVP_DigestVerify(context, signature.baseAddress, signatureLength,
                                     base.assumingMemoryBound(to: UInt8.self), count)
                }
            }
        }
        return verified == 1
    }

    /// The public key of the private key `seed` (32 bytes).
    package static func publicKey(seed: [UInt8]) -> [UInt8] {
        withPrivateKey(seed) { key in
            var length = publicKeyLength
            return [UInt8](unsafeUninitializedCapacity: publicKeyLength) { output, initialized in
                guard EVP_PKEY_get_raw_public_key(key, output.baseAddress, &length) == 1,
                      length == publicKeyLength else { libraryFault("EVP_PKEY_get_raw_public_key") }
                initialized = publicKeyLength
            }
        }
    }

    /// The signature of `message` by the private key `seed` (32 bytes).
    package static func sign(_ message: [UInt8], seed: [UInt8]) -> [UInt8] {
        withPrivateKey(seed) { key in
            guard let context = EVP_MD_CTX_new() else { libraryFault("EVP_MD_CTX_new") }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else { libraryFault("EVP_DigestSignInit") }
            var length = signatureLength
            return [UInt8](unsafeUninitializedCapacity: signatureLength) { output, initialized in
                let signed = message.withUnsafeBytes { message in
                    withNonNullBase(message) { base, count in
                        EVP_DigestSign(context, output.baseAddress, &length, base.assumingMemoryBound(to: UInt8.self), count)
                    }
                }
                guard signed == 1, length == signatureLength else { libraryFault("EVP_DigestSign") }
                initialized = signatureLength
            }
        }
    }

    private static func withPrivateKey<R>(_ seed: [UInt8], _ body: (OpaquePointer) -> R) -> R {
        precondition(seed.count == seedLength, "an Ed25519 private key is 32 bytes")
        guard let key = seed.withUnsafeBufferPointer({
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, seedLength)
        }) else { libraryFault("EVP_PKEY_new_raw_private_key") }
        defer { EVP_PKEY_free(key) }
        return body(key)
    }
}
