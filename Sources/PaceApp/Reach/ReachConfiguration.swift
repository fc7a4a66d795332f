#if canImport(Glibc)
import Glibc
#endif
/// Settings of outgoing webhooks and the HTTP client under them, from `PACE_*` variables over
/// these defaults.
package struct ReachConfiguration: Sendable {
    /// `PACE_ALLOW_PRIVATE_WEBHOOKS=1`: webhook URLs may reach loopback and private networks.
    package var allowPrivate = false
    /// `PACE_OUTBOUND_ALLOW_HTTP=1`: plain `http` may leave the machine (it always may reach loopback).
    package var allowPlainHTTP = false
    /// `PACE_OUTBOUND_CA_FILE`: a PEM bundle trusted instead of the system's CA store.
    package var caFile: String?
    /// `PACE_WEBHOOK_RETRY_BASE_MS` (first wait) and `PACE_WEBHOOK_RETRY_WINDOW_MS` (give up after).
    package var retry = RetrySchedule.webhooks
    /// `PACE_WEBHOOK_TIMEOUT_MS`: from connect to the last response byte.
    package var timeoutMilliseconds: Int64 = 10_000
    /// `PACE_WEBHOOK_DISABLE_AFTER`: failed attempts in a row after which a webhook is disabled.
    package var disableAfterFailures: Int64 = 50
    /// `PACE_WEBHOOK_LOG_RETENTION_MS`: how long finished deliveries stay in the log (7 days).
    package var logRetentionMilliseconds: Int64 = 7 * 86_400_000

    package init() {}

    package init(environment: [String: String]) throws(ConfigurationError) {
        allowPrivate = environment["PACE_ALLOW_PRIVATE_WEBHOOKS"] == "1"
        allowPlainHTTP = environment["PACE_OUTBOUND_ALLOW_HTTP"] == "1"
        if let path = environment["PACE_OUTBOUND_CA_FILE"], !path.isEmpty {
            guard access(path, R_OK) == 0 else {
                throw ConfigurationError("PACE_OUTBOUND_CA_FILE: cannot read '\(path)'")
            }
            caFile = path
        }
        retry.baseMilliseconds = try ConfigurationError.number(environment, "PACE_WEBHOOK_RETRY_BASE_MS", 10...3_600_000,
                                                               default: retry.baseMilliseconds)
        retry.windowMilliseconds = try ConfigurationError.number(environment, "PACE_WEBHOOK_RETRY_WINDOW_MS", 1_000...(7 * 86_400_000),
                                                                 default: retry.windowMilliseconds)
        timeoutMilliseconds = try ConfigurationError.number(environment, "PACE_WEBHOOK_TIMEOUT_MS", 100...120_000,
                                                            default: timeoutMilliseconds)
        disableAfterFailures = try ConfigurationError.number(environment, "PACE_WEBHOOK_DISABLE_AFTER", 1...100_000,
                                                             default: disableAfterFailures)
        logRetentionMilliseconds = try ConfigurationError.number(environment, "PACE_WEBHOOK_LOG_RETENTION_MS", 60_000...(365 * 86_400_000),
                                                                 default: logRetentionMilliseconds)
    }
}
