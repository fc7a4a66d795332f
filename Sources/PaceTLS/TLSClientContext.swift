internal import CSSL
import PaceCrypto

/// A client SSL_CTX: for the outbound HTTP client (webhooks, Web Push, OpenID Connect), which
/// trusts the system's CA store or one PEM file, and for Pace's own tests and load tools, which
/// may also verify nothing. Whenever it verifies, the certificate must name the host (SNI is
/// sent for names, never for IP literals). Versions are selectable so tests can play an
/// outdated client.
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

    /// Which certificates the context accepts.
    package enum Trust: Sendable, Equatable {
        /// Any certificate: load tools only.
        case none
        /// The certificates in one PEM file.
        case file(String)
        /// OpenSSL's default CA store (Debian: /etc/ssl/certs, from ca-certificates).
        case system
    }

    let raw: OpaquePointer
    private let verifies: Bool

    /// Trusts the certificates in the PEM file `certificates`, or nothing is verified when nil.
    package convenience init(trusting certificates: String?, versions: ClosedRange<Version> = .tls12 ... .tls13,
                             protocols: [String] = ["http/1.1"]) throws(TLSConfigurationError) {
        try self.init(trust: certificates.map(Trust.file) ?? .none, versions: versions, protocols: protocols)
    }

    /// `protocols` is the ALPN offer, most preferred first.
    package init(trust: Trust, versions: ClosedRange<Version> = .tls12 ... .tls13,
                 protocols: [String] = ["http/1.1"]) throws(TLSConfigurationError) {
        OpenSSLErrors.clear()
        guard let raw = SSL_CTX_new(TLS_client_method()) else {
            throw TLSConfigurationError("SSL_CTX_new", OpenSSLErrors.take())
        }
        self.raw = raw
        verifies = trust != .none
        if versions.lowerBound == .tls11 {
            // OpenSSL 3 refuses TLS 1.1 (SHA-1 signatures) above security level 0.
            try check(SSL_CTX_set_cipher_list(raw, "DEFAULT:@SECLEVEL=0"), "security level")
        }
        try check(pace_ssl_ctx_set_versions(raw, versions.lowerBound.wire, versions.upperBound.wire), "versions")
        switch trust {
        case .none: break
        case .file(let path):
            try check(SSL_CTX_load_verify_locations(raw, path, nil), "trusted certificates \(path)")
            SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nil)
        case .system:
            try check(SSL_CTX_set_default_verify_paths(raw), "the system's trusted certificates")
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
    /// `session` for resumption. `host` is a DNS name or an IP literal (IPv6 without brackets).
    package func makeEngine(host: String = "localhost", resuming session: TLSSession? = nil) -> TLSEngine {
        guard let ssl = SSL_new(raw) else { libraryFault("SSL_new") }
        let isAddress = host.contains(":") || host.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (48...57).contains($0) }
        if isAddress {
            // An IP literal is checked against the certificate's IP addresses, and RFC 6066
            // forbids it in SNI.
            if verifies { _ = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) }
        } else {
            _ = pace_ssl_set_server_name(ssl, host)
            if verifies { _ = SSL_set1_host(ssl, host) }
        }
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
