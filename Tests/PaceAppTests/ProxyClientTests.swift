#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
import PaceApp
import PaceTestSupport
import Testing

/// Clients behind proxies: forwarding headers and the PROXY protocol decide the rate-limit
/// key, and only when the peer is a trusted proxy.
@Suite("Clients behind proxies")
struct ProxyClientTests {
    static let proxy = IPAddress("10.0.0.2")!
    static let limited = ["PACE_RATE_LIMITS": "on", "PACE_RATE_LOGIN_PER_IP": "2/60"]

    private func login(_ app: TestApp, _ username: String, peer: IPAddress, headers: [(String, String)] = []) throws -> Int {
        let body = Array(#"{"username": "\#(username)", "password": "password123"}"#.utf8)
        return try app.request("POST", "/api/v1/auth/login", body: body, headers: headers, peer: peer).status
    }

    @Test func clientsBehindOneTrustedProxyHaveTheirOwnBuckets() throws {
        let app = try TestApp.accounts(Self.limited, trustedProxies: "10.0.0.0/8")
        let first = [("X-Forwarded-For", "203.0.113.1")]
        #expect(try login(app, "a1", peer: Self.proxy, headers: first) == 401)
        #expect(try login(app, "a2", peer: Self.proxy, headers: first) == 401)
        #expect(try login(app, "a3", peer: Self.proxy, headers: first) == 429)
        #expect(try login(app, "b1", peer: Self.proxy, headers: [("X-Forwarded-For", "203.0.113.2, 10.0.0.7")]) == 401,
                "another client behind the same proxy")
        #expect(try login(app, "c1", peer: Self.proxy, headers: [("Forwarded", #"for="[2001:db8::9]:5000""#)]) == 401)
        let metrics = try app.request("GET", "/metrics").text
        #expect(metrics.contains("pace_http_forwarded_clients_total 5"))
    }

    @Test func forwardingHeadersFromAnUntrustedPeerAreIgnored() throws {
        let app = try TestApp.accounts(Self.limited, trustedProxies: "10.0.0.0/8")
        let stranger = IPAddress("198.51.100.7")!
        #expect(try login(app, "s1", peer: stranger, headers: [("X-Forwarded-For", "203.0.113.1")]) == 401)
        #expect(try login(app, "s2", peer: stranger, headers: [("X-Forwarded-For", "203.0.113.2")]) == 401)
        #expect(try login(app, "s3", peer: stranger, headers: [("Forwarded", "for=203.0.113.3")]) == 429,
                "spoofed headers do not buy a fresh bucket")
        #expect(try login(app, "s4", peer: Self.proxy, headers: [("X-Forwarded-For", "198.51.100.7")]) == 429,
                "the same client through the trusted proxy shares its bucket")
    }

    @Test func withoutTrustedProxiesHeadersAreNeverRead() throws {
        let app = try TestApp.accounts(Self.limited)
        #expect(try login(app, "n1", peer: Self.proxy, headers: [("X-Forwarded-For", "203.0.113.1")]) == 401)
        #expect(try login(app, "n2", peer: Self.proxy, headers: [("X-Forwarded-For", "203.0.113.2")]) == 401)
        #expect(try login(app, "n3", peer: Self.proxy, headers: [("X-Forwarded-For", "203.0.113.3")]) == 429)
    }

    @Test func configurationReadsTheProxySettings() throws {
        var configuration = ServerConfiguration()
        try configuration.apply(environment: ["PACE_TRUSTED_PROXIES": "10.0.0.0/8, ::1", "PACE_PROXY_PROTOCOL": "on"])
        #expect(configuration.trustedProxies.description == "10.0.0.0/8,::1/128")
        #expect(configuration.proxyProtocol)
        var numeric = ServerConfiguration()
        try numeric.apply(environment: ["PACE_TRUSTED_PROXIES": "::1", "PACE_PROXY_PROTOCOL": "1"])
        #expect(numeric.proxyProtocol)
        for environment in [["PACE_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"],
                            ["PACE_TRUSTED_PROXIES": "::1", "PACE_PROXY_PROTOCOL": "yes"],
                            ["PACE_PROXY_PROTOCOL": "on"]] {
            var candidate = ServerConfiguration()
            #expect(throws: ConfigurationError.self, "\(environment)") { try candidate.apply(environment: environment) }
        }
        do {
            var candidate = ServerConfiguration()
            try candidate.apply(environment: ["PACE_TRUSTED_PROXIES": "10.0.0.0/8 nope"])
        } catch {
            #expect(error.description == "PACE_TRUSTED_PROXIES: 'nope' is not an IP address or CIDR prefix "
                    + "(like 10.0.0.0/8, 192.0.2.7 or ::1/128)")
        }
    }
}

extension TestApp {
    /// `accounts` with `PACE_TRUSTED_PROXIES` applied as the command line would.
    static func accounts(_ extra: [String: String], trustedProxies: String) throws -> TestApp {
        try TestApp(environment: fastAccounts.merging(extra) { $1 }) { configuration in
            try configuration.apply(environment: configuration.environment.merging(
                ["PACE_TRUSTED_PROXIES": trustedProxies]) { $1 })
        }
    }
}
