internal import CCrypto

/// AES-128-GCM over libcrypto with a 12-byte nonce and a 16-byte tag, no associated data: the
/// cipher of the `aes128gcm` content coding (RFC 8188).
package enum AES128GCM {
    package static let keyLength = 16
    package static let nonceLength = 12
    package static let tagLength = 16

    // A fetched EVP_CIPHER is immutable and reference counted, safe to share between threads,
    // and never freed.
    nonisolated(unsafe) private static let cipher: OpaquePointer = {
        guard let cipher = EVP_CIPHER_fetch(nil, "AES-128-GCM", nil) else { libraryFault("EVP_CIPHER_fetch") }
        return cipher
    }()

    /// The ciphertext of `plaintext` followed by the tag.
    package static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]) -> [UInt8] {
        precondition(key.count == keyLength && nonce.count == nonceLength, "AES-128-GCM takes a 16-byte key and a 12-byte nonce")
        guard let context = EVP_CIPHER_CTX_new() else { libraryFault("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        let total = plaintext.count + tagLength
        return [UInt8](unsafeUninitializedCapacity: total) { output, initialized in
            guard let base = output.baseAddress, EVP_EncryptInit_ex2(context, cipher, key, nonce, nil) == 1 else {
                libraryFault("EVP_EncryptInit_ex2")
            }
            var written: Int32 = 0
            var finished: Int32 = 0
            let updated = plaintext.withUnsafeBytes { plain in
                withNonNullBase(plain) { plainBase, count in
                    EVP_EncryptUpdate(context, base, &written, plainBase.assumingMemoryBound(to: UInt8.self), Int32(count))
                }
            }
            guard updated == 1, EVP_EncryptFinal_ex(context, base + Int(written), &finished) == 1,
                  Int(written + finished) == plaintext.count,
                  EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), base + plaintext.count) == 1 else {
                libraryFault("EVP_EncryptUpdate")
            }
            initialized = total
        }
    }

    /// The plaintext of `sealed` (ciphertext and tag), or nil when the tag does not verify.
    package static func open(_ sealed: [UInt8], key: [UInt8], nonce: [UInt8]) -> [UInt8]? {
        guard key.count == keyLength, nonce.count == nonceLength, sealed.count >= tagLength else { return nil }
        guard let context = EVP_CIPHER_CTX_new() else { libraryFault("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        let count = sealed.count - tagLength
        var tag = Array(sealed[count...])
        var plain = [UInt8](repeating: 0, count: max(count, 1))
        var written: Int32 = 0
        var finished: Int32 = 0
        guard EVP_DecryptInit_ex2(context, cipher, key, nonce, nil) == 1,
              EVP_DecryptUpdate(context, &plain, &written, sealed, Int32(count)) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else { return nil }
        let verified = plain.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return Int32(0) }
            return EVP_DecryptFinal_ex(context, base + Int(written), &finished)
        }
        ERR_clear_error()
        guard verified == 1 else { return nil }
        return Array(plain[0..<count])
    }
}
