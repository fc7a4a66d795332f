internal import CCrypto

/// A P-256 (secp256r1) key pair held by libcrypto, for Web Push: the server's VAPID key signs
/// ES256 tokens (RFC 8292) and a fresh key per message agrees a secret with the browser (ECDH,
/// RFC 8291).
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never changed after `init`, and libcrypto allows
/// concurrent signing and derivation with one key; it is freed only in `deinit`.
package final class P256PrivateKey: @unchecked Sendable {
    package static let scalarLength = 32

    let key: OpaquePointer
    /// The public key, uncompressed (`0x04 || X || Y`, 65 bytes).
    package let publicKey: [UInt8]

    /// A new random key pair.
    package init() {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { libraryFault("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &generated) == 1, let generated else { libraryFault("EVP_PKEY_generate") }
        key = generated
        var encoded = [UInt8](repeating: 0, count: P256PublicKey.length)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(generated, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, &encoded,
                                              encoded.count, &length) == 1,
              length == P256PublicKey.length, encoded[0] == 4 else { libraryFault("EVP_PKEY_get_octet_string_param") }
        publicKey = encoded
    }

    /// The key whose private scalar is `scalar` (32 bytes, big-endian); nil when it is not a
    /// valid P-256 private key (zero, or not below the group order).
    package init?(scalar: [UInt8]) {
        guard scalar.count == Self.scalarLength,
              let group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1) else { return nil }
        defer { EC_GROUP_free(group) }
        guard let private_ = BN_bin2bn(scalar, Int32(scalar.count), nil) else { libraryFault("BN_bin2bn") }
        defer { BN_clear_free(private_) }
        guard BN_is_zero(private_) == 0, let order = EC_GROUP_get0_order(group), BN_cmp(private_, order) < 0,
              let point = EC_POINT_new(group) else { return nil }
        defer { EC_POINT_free(point) }
        var encoded = [UInt8](repeating: 0, count: P256PublicKey.length)
        guard EC_POINT_mul(group, point, private_, nil, nil, nil) == 1,
              EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &encoded, encoded.count, nil)
                == P256PublicKey.length else { libraryFault("EC_POINT_mul") }
        guard let built = P256Parameters.key(publicKey: encoded, privateKey: private_) else { return nil }
        key = built
        publicKey = encoded
    }

    deinit { EVP_PKEY_free(key) }

    /// The private scalar, 32 bytes big-endian: what `init(scalar:)` takes back.
    package var scalar: [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &number) == 1, let number else {
            libraryFault("EVP_PKEY_get_bn_param")
        }
        defer { BN_clear_free(number) }
        return [UInt8](unsafeUninitializedCapacity: Self.scalarLength) { output, initialized in
            guard BN_bn2binpad(number, output.baseAddress, Int32(Self.scalarLength)) == Int32(Self.scalarLength) else {
                libraryFault("BN_bn2binpad")
            }
            initialized = Self.scalarLength
        }
    }

    /// The ECDH shared secret with `peer`: the X coordinate of the product, 32 bytes.
    package func sharedSecret(with peer: P256PublicKey) -> [UInt8] {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { libraryFault("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(context) }
        var length = 32
        return [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
            // No second validation of the peer (a full public-key check costs another scalar
            // multiplication): `P256PublicKey` only holds points on the curve, and P-256's
            // cofactor of 1 makes every such point one of the prime-order group.
            guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer_ex(context, peer.key, 0) == 1,
                  EVP_PKEY_derive(context, output.baseAddress, &length) == 1, length == 32 else {
                libraryFault("EVP_PKEY_derive")
            }
            initialized = 32
        }
    }

    /// The ES256 signature (ECDSA P-256 over SHA-256) of `message` in JOSE form: `r || s`,
    /// 32 bytes each (RFC 7518 §3.4), not DER.
    package func signES256(_ message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { libraryFault("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, MessageDigest.sha256, nil, key) == 1 else { libraryFault("EVP_DigestSignInit") }
        var length = 0
        var der = [UInt8](repeating: 0, count: 80)
        let signed = message.withUnsafeBytes { message in
            withNonNullBase(message) { base, count in
                length = der.count
                return EVP_DigestSign(context, &der, &length, base.assumingMemoryBound(to: UInt8.self), count)
            }
        }
        guard signed == 1 else { libraryFault("EVP_DigestSign") }
        return der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let signature = d2i_ECDSA_SIG(nil, &cursor, length) else { libraryFault("d2i_ECDSA_SIG") }
            defer { ECDSA_SIG_free(signature) }
            return P256Parameters.fixed(ECDSA_SIG_get0_r(signature)) + P256Parameters.fixed(ECDSA_SIG_get0_s(signature))
        }
    }
}
