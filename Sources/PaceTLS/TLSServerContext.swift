internal import CSSL
import PaceCrypto

/// A server SSL_CTX built once from a PEM certificate chain and private key, read-only after.
/// TLS 1.2 and 1.3 only with Mozilla's "intermediate" ECDHE suites, no renegotiation, ALPN
/// http/1.1, stateless session tickets sealed with `tickets`, and released record buffers so an
/// idle connection stays small.
///
/// `@unchecked Sendable`: the SSL_CTX is configured in `init` and never changed after; OpenSSL
/// makes SSL_new and the callbacks safe to run from many threads on one such context.
package final class TLSServerContext: @unchecked Sendable {
    /// TLS 1.2 suites of the Mozilla intermediate profile, ECDHE only (the DHE ones are dropped).
    package static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    package static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    package static let groups = "X25519:prime256v1:secp384r1"

    let raw: OpaquePointer
    package let tickets: TicketKeyRing

    package init(certificateChain: String, privateKey: String, tickets: TicketKeyRing) throws(TLSConfigurationError) {
        OpenSSLErrors.clear()
        guard let raw = SSL_CTX_new(TLS_server_method()) else {
            throw TLSConfigurationError("SSL_CTX_new", OpenSSLErrors.take())
        }
        self.raw = raw
        self.tickets = tickets
        try check(SSL_CTX_use_certificate_chain_file(raw, certificateChain), "certificate \(certificateChain)")
        try check(SSL_CTX_use_PrivateKey_file(raw, privateKey, SSL_FILETYPE_PEM), "private key \(privateKey)")
        try check(SSL_CTX_check_private_key(raw), "private key \(privateKey) does not match the certificate")
        try configureProtocol()
        configureSessions()
        SSL_CTX_set_alpn_select_cb(raw, alpnSelectCallback, nil)
    }

    deinit {
        SSL_CTX_free(raw)
    }

    /// A fresh server engine; it keeps this context alive for as long as it lives.
    package func makeEngine() -> TLSEngine {
        guard let ssl = SSL_new(raw) else { libraryFault("SSL_new") }
        return TLSEngine(ssl: ssl, isServer: true, context: self)
    }

    private func configureProtocol() throws(TLSConfigurationError) {
        try check(pace_ssl_ctx_set_versions(raw, TLS1_2_VERSION, TLS1_3_VERSION), "protocol versions")
        try check(SSL_CTX_set_cipher_list(raw, Self.tls12Ciphers), "TLS 1.2 ciphers")
        try check(SSL_CTX_set_ciphersuites(raw, Self.tls13Suites), "TLS 1.3 suites")
        try check(pace_ssl_ctx_set_groups(raw, Self.groups), "key exchange groups")
        SSL_CTX_set_options(raw, pace_ssl_options())
        _ = pace_ssl_ctx_set_mode(raw, Int(SSL_MODE_RELEASE_BUFFERS))
    }

    /// Tickets only: no server-side session cache to grow with the client count. A ticket's
    /// lifetime is one rotation interval, so every ticket a client holds still opens.
    private func configureSessions() {
        pace_ssl_ctx_disable_session_cache(raw)
        let contextID = Array("pace".utf8)
        _ = SSL_CTX_set_session_id_context(raw, contextID, UInt32(contextID.count))
        _ = SSL_CTX_set_timeout(raw, Int(tickets.rotationInterval))
        _ = SSL_CTX_set_num_tickets(raw, 1)
        SSL_CTX_set_ex_data(raw, ticketRingSlot, Unmanaged.passUnretained(tickets).toOpaque())
        _ = SSL_CTX_set_tlsext_ticket_key_evp_cb(raw, ticketKeyCallback)
    }

    private func check(_ status: Int32, _ what: String) throws(TLSConfigurationError) {
        guard status == 1 else { throw TLSConfigurationError(what, OpenSSLErrors.take()) }
    }
}
