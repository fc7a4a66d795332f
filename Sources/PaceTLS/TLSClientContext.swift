internal import CSSL
import PaceCrypto

/// A client SSL_CTX for Pace's own tests and load tools (never the server's path): trusts the
/// certificates in one PEM file and verifies the server's name, or, with `trusting: nil`,
/// verifies nothing. Versions are selectable so tests can play an outdated client.
///
/// `@unchecked Sendable`: configured in `init` and never changed after, like `TLSServerContext`.
package final class TLSClientContext: @unchecked Sendable {
    package enum Version: Comparable, Sendable {
        case tls11, tls12, tls13

        var wire: Int32 {
            switch self {
            case .tls11: TLS1_1_VERSION
            case .tls12: TLS1_2_VERSION
            case .tls13: TLS1_3_VERSION
            }
        }
    }

    let raw: OpaquePointer

    /// `protocols` is the ALPN offer, most preferred first.
    package init(trusting certificates: String?, versions: ClosedRange<Version> = .tls12 ... .tls13,
                 protocols: [String] = ["http/1.1"]) throws(TLSConfigurationError) {
        OpenSSLErrors.clear()
        guard let raw = SSL_CTX_new(TLS_client_method()) else {
            throw TLSConfigurationError("SSL_CTX_new", OpenSSLErrors.take())
        }
        self.raw = raw
        if versions.lowerBound == .tls11 {
            // OpenSSL 3 refuses TLS 1.1 (SHA-1 signatures) above security level 0.
            try check(SSL_CTX_set_cipher_list(raw, "DEFAULT:@SECLEVEL=0"), "security level")
        }
        try check(pace_ssl_ctx_set_versions(raw, versions.lowerBound.wire, versions.upperBound.wire), "versions")
        if let certificates {
            try check(SSL_CTX_load_verify_locations(raw, certificates, nil), "trusted certificates \(certificates)")
            SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nil)
        }
        let offer = protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        if !offer.isEmpty {
            // Unlike most of libssl, this one returns 0 on success.
            guard SSL_CTX_set_alpn_protos(raw, offer, UInt32(offer.count)) == 0 else {
                throw TLSConfigurationError("ALPN offer", OpenSSLErrors.take())
            }
        }
    }

    deinit {
        SSL_CTX_free(raw)
    }

    /// A client engine that expects the certificate to name `host` (when verifying) and offers
    /// `session` for resumption.
    package func makeEngine(host: String = "localhost", resuming session: TLSSession? = nil) -> TLSEngine {
        guard let ssl = SSL_new(raw) else { libraryFault("SSL_new") }
        _ = SSL_set1_host(ssl, host)
        if let session { _ = SSL_set_session(ssl, session.raw) }
        return TLSEngine(ssl: ssl, isServer: false, context: self)
    }

    private func check(_ status: Int32, _ what: String) throws(TLSConfigurationError) {
        guard status == 1 else { throw TLSConfigurationError(what, OpenSSLErrors.take()) }
    }
}

/// A client's resumable session (its ticket), taken from an established engine. Take it after
/// `close()`: OpenSSL marks the session of a connection freed without close_notify unresumable.
package final class TLSSession: @unchecked Sendable {
    // `@unchecked Sendable`: SSL_SESSION is reference-counted by OpenSSL and only read here.
    let raw: OpaquePointer

    init(raw: OpaquePointer) {
        self.raw = raw
    }

    deinit {
        SSL_SESSION_free(raw)
    }

    package var isResumable: Bool { SSL_SESSION_is_resumable(raw) == 1 }
}

extension TLSEngine {
    /// The session to resume later, once the handshake (and, in TLS 1.3, a ticket) arrived.
    package var session: TLSSession? {
        sslSession().map(TLSSession.init(raw:))
    }
}
