internal import CSSL
import PaceCrypto

/// A throwaway ECDSA P-256 key and a self-signed certificate for local TLS, as PEM: named for
/// localhost, 127.0.0.1 and ::1, valid from now for `days`. Clients trust it by taking the
/// certificate itself as their CA file (curl --cacert).
package struct SelfSignedCertificate: Sendable {
    /// PKCS #8, unencrypted: keep the file private.
    package let privateKeyPEM: [UInt8]
    package let certificatePEM: [UInt8]

    package static let subjectAlternativeNames = "DNS:localhost,IP:127.0.0.1,IP:::1"

    /// `names` is the subjectAltName value, OpenSSL's `DNS:…,IP:…` syntax.
    package static func generate(days: Int = 90, names: String = subjectAlternativeNames) throws(TLSConfigurationError)
        -> SelfSignedCertificate {
        OpenSSLErrors.clear()
        let key = try generateKey()
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { libraryFault("X509_new") }
        defer { X509_free(certificate) }
        try describe(certificate, key: key, days: days)
        try extend(certificate, names: names)
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else {
            throw TLSConfigurationError("signing the certificate", OpenSSLErrors.take())
        }
        return SelfSignedCertificate(
            privateKeyPEM: try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) },
            certificatePEM: try pem { PEM_write_bio_X509($0, certificate) })
    }

    private static func generateKey() throws(TLSConfigurationError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { libraryFault("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &key) == 1, let key else {
            throw TLSConfigurationError("generating a P-256 key", OpenSSLErrors.take())
        }
        return key
    }

    /// Version 3, a random positive 63-bit serial, CN=localhost as subject and issuer, validity.
    private static func describe(_ certificate: OpaquePointer, key: OpaquePointer, days: Int) throws(TLSConfigurationError) {
        let serial = SecureRandom.bytes(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) } & Int64.max
        let name = X509_get_subject_name(certificate)
        guard X509_set_version(certificate, 2) == 1,
              ASN1_INTEGER_set_int64(X509_get_serialNumber(certificate), max(serial, 1)) == 1,
              X509_gmtime_adj(X509_getm_notBefore(certificate), 0) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), days * 86_400) != nil,
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "localhost", -1, -1, 0) == 1,
              X509_set_issuer_name(certificate, name) == 1,
              X509_set_pubkey(certificate, key) == 1
        else { throw TLSConfigurationError("describing the certificate", OpenSSLErrors.take()) }
    }

    /// The extensions a strict verifier (Python 3.13's VERIFY_X509_STRICT) wants on a
    /// self-signed certificate that is its own trust anchor.
    private static func extend(_ certificate: OpaquePointer, names: String) throws(TLSConfigurationError) {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, certificate, certificate, nil, nil, 0)
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:TRUE"),
            (NID_key_usage, "critical,digitalSignature,keyCertSign"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
            (NID_subject_alt_name, names),
        ]
        for (nid, value) in extensions {
            guard let item = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw TLSConfigurationError("certificate extension \(value)", OpenSSLErrors.take())
            }
            defer { X509_EXTENSION_free(item) }
            guard X509_add_ext(certificate, item, -1) == 1 else {
                throw TLSConfigurationError("certificate extension \(value)", OpenSSLErrors.take())
            }
        }
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) throws(TLSConfigurationError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { libraryFault("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw TLSConfigurationError("writing PEM", OpenSSLErrors.take()) }
        let count = Int(BIO_ctrl_pending(bio))
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var read = 0
            if BIO_read_ex(bio, buffer.baseAddress, count, &read) == 1 { initialized = read }
        }
    }
}
