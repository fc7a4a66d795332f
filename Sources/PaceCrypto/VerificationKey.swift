internal import CCrypto

/// A public key that checks JSON Web Signatures (RFC 7518 §3.3 RS256 and §3.4 ES256), built
/// from a JWK's numbers through libcrypto's `EVP_PKEY_fromdata`; verification is
/// `EVP_DigestVerify`. Construction refuses what no honest provider sends: RSA moduli under
/// 2048 bits, even or tiny exponents, and P-256 points off the curve.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never changed after construction, and libcrypto
/// allows concurrent verifications with one key as long as each has its own digest context.
package final class VerificationKey: @unchecked Sendable {
    package enum Kind: Sendable, Equatable {
        /// RSASSA-PKCS1-v1_5, for RS256.
        case rsa
        /// ECDSA on P-256, for ES256.
        case p256
    }

    package let kind: Kind
    private let key: OpaquePointer

    private init(kind: Kind, key: OpaquePointer) {
        self.kind = kind
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    /// An RSA public key from the big-endian modulus `n` and exponent `e` of a JWK.
    package static func rsa(modulus: [UInt8], exponent: [UInt8]) -> VerificationKey? {
        let modulus = Array(modulus.drop { $0 == 0 })
        let exponent = Array(exponent.drop { $0 == 0 })
        // 2048 to 8192 bits; e odd and at least 3, at most 64 bits as real keys use.
        guard (256...1024).contains(modulus.count), (1...8).contains(exponent.count),
              let last = exponent.last, last & 1 == 1, exponent.count > 1 || last >= 3 else { return nil }
        let key = build("RSA") { builder, numbers in
            guard let n = number(modulus, &numbers), let e = number(exponent, &numbers) else { return false }
            return OSSL_PARAM_BLD_push_BN(builder, name("n"), n) == 1 && OSSL_PARAM_BLD_push_BN(builder, name("e"), e) == 1
        }
        return key.map { VerificationKey(kind: .rsa, key: $0) }
    }

    /// A P-256 public key from the 32-byte big-endian coordinates `x` and `y` of a JWK.
    package static func p256(x: [UInt8], y: [UInt8]) -> VerificationKey? {
        guard x.count == 32, y.count == 32 else { return nil }
        let point = [0x04] + x + y
        let key = build("EC") { builder, _ in
            guard OSSL_PARAM_BLD_push_utf8_string(builder, name("group"), name("prime256v1"), 0) == 1 else { return false }
            return point.withUnsafeBytes { OSSL_PARAM_BLD_push_octet_string(builder, name("pub"), $0.baseAddress, $0.count) } == 1
        }
        guard let key else { return nil }
        let candidate = VerificationKey(kind: .p256, key: key)
        // fromdata takes any bytes; the point must be on the curve before it checks anything.
        guard let check = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { libraryFault("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(check) }
        return EVP_PKEY_public_check(check) == 1 ? candidate : nil
    }

    /// Whether `signature` is this key's RS256 (or ES256, by `kind`) signature of `message`.
    /// ES256 signatures are the 64-byte `r || s` of RFC 7518 §3.4, not DER.
    package func isValidSignature(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        let encoded: [UInt8]
        switch kind {
        case .rsa:
            encoded = signature
        case .p256:
            guard let der = Self.derSignature(signature) else { return false }
            encoded = der
        }
        guard let context = EVP_MD_CTX_new() else { libraryFault("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, MessageDigest.sha256, nil, key) == 1 else { return false }
        let verified = encoded.withUnsafeBufferPointer { signature in
            message.withUnsafeBytes { message in
                withNonNullBase(message) { base, count in
                    EVP_DigestVerify(context, signature.baseAddress, signature.count,
                                     base.assumingMemoryBound(to: UInt8.self), count)
                }
            }
        }
        return verified == 1
    }

    /// `r || s` as the DER `ECDSA-Sig-Value` libcrypto verifies.
    private static func derSignature(_ raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 64, let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, 32, nil) }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + 32, 32, nil) }
        guard let r, let s else {
            BN_free(r)
            BN_free(s)
            libraryFault("BN_bin2bn")
        }
        // set0 takes ownership of both numbers.
        guard ECDSA_SIG_set0(signature, r, s) == 1 else { libraryFault("ECDSA_SIG_set0") }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        return [UInt8](unsafeUninitializedCapacity: Int(length)) { output, initialized in
            var cursor = output.baseAddress
            initialized = i2d_ECDSA_SIG(signature, &cursor) == length ? Int(length) : 0
        }
    }

    /// A C string that outlives the builder: it keeps the pointers it is given, not copies, so a
    /// Swift string's temporary buffer would dangle by the time the parameters are made.
    private static func name(_ text: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// A big number that lives until `build` has made the key.
    private static func number(_ bytes: [UInt8], _ numbers: inout [OpaquePointer]) -> OpaquePointer? {
        guard let value = bytes.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }) else {
            return nil
        }
        numbers.append(value)
        return value
    }

    /// A public `EVP_PKEY` of `type` from the parameters `push` adds.
    private static func build(_ type: String,
                              _ push: (OpaquePointer, inout [OpaquePointer]) -> Bool) -> OpaquePointer? {
        guard let builder = OSSL_PARAM_BLD_new() else { libraryFault("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }
        var numbers: [OpaquePointer] = []
        defer { numbers.forEach { BN_free($0) } }
        guard push(builder, &numbers), let parameters = OSSL_PARAM_BLD_to_param(builder) else { return nil }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { libraryFault("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
              EVP_PKEY_fromdata(context, &key, pace_evp_pkey_public_key(), parameters) == 1 else { return nil }
        return key
    }
}
