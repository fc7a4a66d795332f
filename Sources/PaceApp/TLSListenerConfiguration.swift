import PaceServer

/// HTTPS on the main listener: `PACE_TLS_CERT` and `PACE_TLS_KEY` (PEM files, the certificate
/// file may hold the chain), an optional plain listener on `PACE_TLS_REDIRECT_PORT` that
/// redirects to it, `PACE_HSTS` and `PACE_TLS_MAX_HANDSHAKES`.
package struct TLSListenerConfiguration: Sendable {
    package var certificateChain: String
    package var privateKey: String
    /// The plain HTTP port answering 308 to the HTTPS one; nil for none.
    package var redirectPort: UInt16?
    /// `Strict-Transport-Security: max-age=…` on every HTTPS response; nil sends none.
    package var hstsMaxAge: Int? = 31_536_000
    package var transport = TLSTransportSettings()

    package init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// Nil when neither `PACE_TLS_CERT` nor `PACE_TLS_KEY` is set (plain HTTP).
    package static func from(environment: [String: String]) throws(ConfigurationError) -> TLSListenerConfiguration? {
        let certificate = environment["PACE_TLS_CERT"].flatMap { $0.isEmpty ? nil : $0 }
        let key = environment["PACE_TLS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let certificate, let key else {
            if certificate != nil || key != nil {
                throw ConfigurationError("PACE_TLS_CERT and PACE_TLS_KEY must be set together (TLS needs both files)")
            }
            for name in ["PACE_TLS_REDIRECT_PORT", "PACE_HSTS", "PACE_TLS_MAX_HANDSHAKES"] where environment[name] != nil {
                throw ConfigurationError("\(name) needs TLS: set PACE_TLS_CERT and PACE_TLS_KEY")
            }
            return nil
        }
        var configuration = TLSListenerConfiguration(certificateChain: certificate, privateKey: key)
        if let port = environment["PACE_TLS_REDIRECT_PORT"] {
            configuration.redirectPort = try ServerConfiguration.parsePort(port, "PACE_TLS_REDIRECT_PORT")
        }
        if let hsts = environment["PACE_HSTS"] { configuration.hstsMaxAge = try parseHSTS(hsts) }
        if let cap = environment["PACE_TLS_MAX_HANDSHAKES"] {
            guard let value = Int(cap), (1...1_000_000).contains(value) else {
                throw ConfigurationError("PACE_TLS_MAX_HANDSHAKES must be a number from 1 to 1000000, got '\(cap)'")
            }
            configuration.transport.maxHandshakesPerLoop = value
        }
        return configuration
    }

    /// `off`, or a max-age in seconds (0 tells browsers to forget an earlier policy).
    static func parseHSTS(_ text: String) throws(ConfigurationError) -> Int? {
        if text == "off" { return nil }
        guard let seconds = Int(text), (0...1_000_000_000).contains(seconds) else {
            throw ConfigurationError("PACE_HSTS must be a max-age in seconds or off, got '\(text)'")
        }
        return seconds
    }

    /// The encoded header line sent on every HTTPS response, empty when HSTS is off.
    package var hstsHeaderLine: [UInt8] {
        guard let hstsMaxAge else { return [] }
        return Array("Strict-Transport-Security: max-age=\(hstsMaxAge)\r\n".utf8)
    }
}
