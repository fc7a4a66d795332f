import PaceAddress
import PaceStore

/// Everything an operator can set, from flags or `PACE_*` environment variables.
package struct ServerConfiguration: Sendable {
    package var host = "0.0.0.0"
    package var port: UInt16 = 8080
    /// Binds `host:port`. Off, the server listens nowhere and serves only the connections
    /// handed to `ChatServer.http.connect` (in-memory ones, in tests).
    package var listens = true
    package var dataDirectory = "./data"
    /// PostgreSQL instead of the SQLite file in `dataDirectory` (`PACE_DATABASE_URL`); the data
    /// directory still holds the uploads and the generated signing key.
    package var postgres: PostgresConfiguration?
    /// Where upload content lives (`PACE_UPLOADS_DIR`); nil means `<dataDirectory>/uploads`.
    /// Instances sharing a PostgreSQL database must share this folder too.
    package var uploadsDirectoryOverride: String?

    /// The folder of upload content files.
    package var uploadsDirectory: String {
        uploadsDirectoryOverride ?? dataDirectory + "/uploads"
    }
    /// Event loops; one per CPU this process may use by default.
    package var loops = 0
    /// Keeps each loop thread on its own CPU.
    package var pinLoops = true
    /// Threads for blocking work (password hashing, file I/O).
    package var blockingThreads = 0
    /// Proxies whose forwarding headers (and PROXY protocol headers) are believed.
    package var trustedProxies = TrustedProxies()
    /// Every connection starts with a PROXY protocol header from a trusted proxy.
    package var proxyProtocol = false
    /// HTTPS on the main listener; nil serves plain HTTP.
    package var tls: TLSListenerConfiguration?
    /// The process environment, for services that read their own `PACE_*` settings.
    package var environment: [String: String] = [:]

    package init() {}

    /// Reads `PACE_HOST`, `PACE_PORT`, `PACE_DATA_DIR`, `PACE_UPLOADS_DIR`, the PostgreSQL settings
    /// (`PostgresConfiguration`), `PACE_LOOPS`, `PACE_PIN_LOOPS`,
    /// `PACE_TRUSTED_PROXIES`, `PACE_PROXY_PROTOCOL` and the TLS settings
    /// (`TLSListenerConfiguration`) over the defaults.
    package mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        self.environment = environment
        if let host = environment["PACE_HOST"] { self.host = host }
        if let port = environment["PACE_PORT"] { self.port = try Self.parsePort(port, "PACE_PORT") }
        if let directory = environment["PACE_DATA_DIR"] { dataDirectory = directory }
        if let directory = environment["PACE_UPLOADS_DIR"], !directory.isEmpty { uploadsDirectoryOverride = directory }
        switch PostgresConfiguration.from(environment: environment) {
        case .success(let configuration): postgres = configuration
        case .failure(let problem): throw ConfigurationError(problem.text)
        }
        if let loops = environment["PACE_LOOPS"] { self.loops = try Self.parseCount(loops, "PACE_LOOPS") }
        if let pin = environment["PACE_PIN_LOOPS"] { pinLoops = try Self.parseSwitch(pin, "PACE_PIN_LOOPS") }
        tls = try TLSListenerConfiguration.from(environment: environment)
        try applyProxySettings(environment)
    }

    /// A PROXY header is only believed from a trusted proxy, so switching the protocol on
    /// with nobody trusted would refuse every connection: that is a configuration error.
    private mutating func applyProxySettings(_ environment: [String: String]) throws(ConfigurationError) {
        if let list = environment["PACE_TRUSTED_PROXIES"] {
            do {
                trustedProxies = try TrustedProxies(parsing: list)
            } catch {
                throw ConfigurationError("PACE_TRUSTED_PROXIES: \(error)")
            }
        }
        if let proxy = environment["PACE_PROXY_PROTOCOL"] {
            proxyProtocol = try Self.parseSwitch(proxy, "PACE_PROXY_PROTOCOL")
        }
        if proxyProtocol && trustedProxies.isEmpty {
            throw ConfigurationError("PACE_PROXY_PROTOCOL=on needs PACE_TRUSTED_PROXIES (the proxies allowed to send the header)")
        }
    }

    package static func parsePort(_ text: String, _ source: String) throws(ConfigurationError) -> UInt16 {
        guard let value = UInt16(text) else { throw ConfigurationError("\(source) must be a port number, got '\(text)'") }
        return value
    }

    /// `on` or `off`; `1` and `0` mean the same, as in the shell tradition of flags.
    package static func parseSwitch(_ text: String, _ source: String) throws(ConfigurationError) -> Bool {
        switch text {
        case "on", "1": return true
        case "off", "0": return false
        default: throw ConfigurationError("\(source) must be on or off (or 1 or 0), got '\(text)'")
        }
    }

    package static func parseCount(_ text: String, _ source: String) throws(ConfigurationError) -> Int {
        guard let value = Int(text), (0...256).contains(value) else {
            throw ConfigurationError("\(source) must be a number from 0 to 256, got '\(text)'")
        }
        return value
    }
}

/// A configuration value that cannot be used; the message names the flag or variable.
package struct ConfigurationError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }

    /// The integer variable `name` of `environment` within `range`, or `value` when it is unset.
    static func number(_ environment: [String: String], _ name: String, _ range: ClosedRange<Int64>,
                       default value: Int64) throws(ConfigurationError) -> Int64 {
        guard let text = environment[name] else { return value }
        guard let number = Int64(text), range.contains(number) else {
            throw ConfigurationError("\(name) must be \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return number
    }
}
