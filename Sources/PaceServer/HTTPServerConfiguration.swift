import PaceAddress
import PaceHTTP

/// Limits and deadlines of the HTTP layer.
package struct HTTPServerConfiguration: Sendable {
    package var limits = HTTPLimits()
    /// From a request's first byte to the end of its head (slowloris guard).
    package var headerTimeoutMilliseconds: Int64 = 10_000
    /// Longest silence while a body is arriving.
    package var bodyTimeoutMilliseconds: Int64 = 30_000
    /// How long an idle keep-alive connection is kept.
    package var keepAliveTimeoutMilliseconds: Int64 = 75_000
    /// Unsent response bytes beyond which a peer that does not read is dropped.
    package var outboundLimit = 8 * 1024 * 1024
    /// How often each loop checks its connections' deadlines; deadlines fire up to this late.
    package var sweepIntervalMilliseconds: Int64 = 1_000
    /// Peers whose `Forwarded` / `X-Forwarded-For` headers name the client (see
    /// `ClientAddress`); empty, the headers are never read.
    package var trustedProxies = TrustedProxies()
    /// Header lines sent on every response, already encoded ("Name: value\r\n" each): the
    /// HTTPS listener's `Strict-Transport-Security`.
    package var fixedResponseHeaders: [UInt8] = []

    package init() {}
}
