internal import CCrypto

/// HKDF (RFC 5869) with SHA-256 over libcrypto: extract with `salt`, then expand with `info`.
package enum HKDF {
    /// `length` bytes of output keying material; at most 255 × 32.
    package static func sha256(salt: [UInt8], inputKey: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        precondition(length > 0 && length <= 255 * 32, "HKDF-SHA256 output is 1 to 8160 bytes")
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "HKDF", nil) else { libraryFault("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        var produced = length
        return [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
            let configured = salt.withUnsafeBytes { salt in
                inputKey.withUnsafeBytes { inputKey in
                    info.withUnsafeBytes { info in
                        withNonNullBase(salt) { saltBase, saltCount in
                            withNonNullBase(inputKey) { keyBase, keyCount in
                                withNonNullBase(info) { infoBase, infoCount in
                                    EVP_PKEY_derive_init(context) == 1
                                        && EVP_PKEY_CTX_set_hkdf_md(context, MessageDigest.sha256) == 1
                                        && EVP_PKEY_CTX_set1_hkdf_salt(context, saltBase.assumingMemoryBound(to: UInt8.self),
                                                                       Int32(saltCount)) == 1
                                        && EVP_PKEY_CTX_set1_hkdf_key(context, keyBase.assumingMemoryBound(to: UInt8.self),
                                                                      Int32(keyCount)) == 1
                                        && EVP_PKEY_CTX_add1_hkdf_info(context, infoBase.assumingMemoryBound(to: UInt8.self),
                                                                       Int32(infoCount)) == 1
                                }
                            }
                        }
                    }
                }
            }
            guard configured, EVP_PKEY_derive(context, output.baseAddress, &produced) == 1, produced == length else {
                libraryFault("HKDF")
            }
            initialized = length
        }
    }
}
