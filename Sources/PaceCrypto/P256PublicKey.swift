internal import CCrypto

/// A P-256 public key from its uncompressed encoding, checked to be a point on the curve: a
/// browser's `p256dh` subscription key, or a VAPID key when verifying a token.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is read-only after `init` and freed only in `deinit`.
package final class P256PublicKey: @unchecked Sendable {
    package static let length = 65

    let key: OpaquePointer
    /// `0x04 || X || Y`.
    package let bytes: [UInt8]

    /// nil unless `bytes` is 65 bytes, starts with 0x04 and names a point on P-256.
    package init?(uncompressed bytes: [UInt8]) {
        guard bytes.count == Self.length, bytes[0] == 4,
              let built = P256Parameters.key(publicKey: bytes, privateKey: nil) else { return nil }
        key = built
        self.bytes = bytes
    }

    deinit { EVP_PKEY_free(key) }

    /// Whether `signature` (JOSE `r || s`, 64 bytes) is this key's ES256 signature of `message`.
    package func isValidES256(signature: [UInt8], of message: [UInt8]) -> Bool {
        guard signature.count == 64, let pair = ECDSA_SIG_new() else { return false }
        defer { ECDSA_SIG_free(pair) }
        guard let r = BN_bin2bn(signature, 32, nil) else { libraryFault("BN_bin2bn") }
        guard let s = Array(signature[32...]).withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, 32, nil) }) else {
            BN_free(r)
            libraryFault("BN_bin2bn")
        }
        guard ECDSA_SIG_set0(pair, r, s) == 1 else { libraryFault("ECDSA_SIG_set0") }
        let derLength = i2d_ECDSA_SIG(pair, nil)
        guard derLength > 0 else { return false }
        var der = [UInt8](repeating: 0, count: Int(derLength))
        der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_ECDSA_SIG(pair, &cursor)
        }
        guard let context = EVP_MD_CTX_new() else { libraryFault("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, MessageDigest.sha256, nil, key) == 1 else { return false }
        let verified = message.withUnsafeBytes { message in
            withNonNullBase(message) { base, count in
                EVP_DigestVerify(context, der, der.count, base.assumingMemoryBound(to: UInt8.self), count)
            }
        }
        ERR_clear_error()
        return verified == 1
    }
}

/// Building P-256 keys from raw parts through `EVP_PKEY_fromdata`, shared by both key types.
enum P256Parameters {
    /// A key from an uncompressed public point and, for a key pair, its private scalar; nil
    /// when libcrypto refuses the point (not on the curve).
    static func key(publicKey: [UInt8], privateKey: OpaquePointer?) -> OpaquePointer? {
        guard let builder = OSSL_PARAM_BLD_new() else { libraryFault("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }
        // The builder keeps pointers to the values until `to_param` copies them, so that happens
        // while the point is pinned; the names stay referenced by the parameters themselves, so
        // they are static strings.
        let built = publicKey.withUnsafeBytes { point in
            guard OSSL_PARAM_BLD_push_utf8_string(builder, cString("group"), cString("prime256v1"), 0) == 1,
                  OSSL_PARAM_BLD_push_octet_string(builder, cString("pub"), point.baseAddress, point.count) == 1,
                  privateKey.map({ OSSL_PARAM_BLD_push_BN(builder, cString("priv"), $0) == 1 }) ?? true
            else { return nil as UnsafeMutablePointer<OSSL_PARAM>? }
            return OSSL_PARAM_BLD_to_param(builder)
        }
        guard let parameters = built else { libraryFault("OSSL_PARAM_BLD_push") }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { libraryFault("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        let selection = privateKey == nil ? pace_evp_pkey_public_key() : pace_evp_pkey_keypair()
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, selection, parameters) == 1 else {
            ERR_clear_error()
            return nil
        }
        return key
    }

    /// A NUL-terminated string in the binary's constant data, valid for the process's life.
    private static func cString(_ text: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// A big number as exactly 32 big-endian bytes.
    static func fixed(_ number: OpaquePointer?) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, initialized in
            guard let number, BN_bn2binpad(number, output.baseAddress, 32) == 32 else { libraryFault("BN_bn2binpad") }
            initialized = 32
        }
    }
}
