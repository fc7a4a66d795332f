/// The limits on login and registration attempts, per client address and per username, read
/// from the environment:
///
/// | variable | default |
/// |---|---|
/// | `PACE_RATE_LOGIN_PER_IP` | `30/60` |
/// | `PACE_RATE_LOGIN_PER_USER` | `10/60` |
/// | `PACE_RATE_REGISTER_PER_IP` | `20/60` |
/// | `PACE_RATE_REGISTER_PER_USER` | `5/60` |
///
/// `PACE_RATE_LIMITS=off` disables all of them (load tests). Every attempt counts, successful
/// or not, and is counted before any password hashing is spent on it. In a cluster each
/// limit is also counted across the instances (`sharing`).
package struct AuthRateLimits: Sendable {
    package enum Action: Sendable { case login, register }

    private let loginPerClient: RateLimiter?
    private let loginPerUser: RateLimiter?
    private let registerPerClient: RateLimiter?
    private let registerPerUser: RateLimiter?

    package init(environment: [String: String], sharing: RateLimitSharing? = nil) throws(ConfigurationError) {
        let enabled = environment["PACE_RATE_LIMITS"].map { $0.lowercased() != "off" } ?? true
        func limiter(_ name: String, _ fallback: RateLimit) throws(ConfigurationError) -> RateLimiter? {
            guard enabled else { return nil }
            guard let text = environment[name] else { return RateLimiter(fallback, name: name, sharing: sharing) }
            guard let limit = RateLimit(parsing: text) else {
                throw ConfigurationError("\(name) must look like COUNT/SECONDS (for example 20/60), got '\(text)'")
            }
            return RateLimiter(limit, name: name, sharing: sharing)
        }
        loginPerClient = try limiter("PACE_RATE_LOGIN_PER_IP", RateLimit(count: 30, seconds: 60))
        loginPerUser = try limiter("PACE_RATE_LOGIN_PER_USER", RateLimit(count: 10, seconds: 60))
        registerPerClient = try limiter("PACE_RATE_REGISTER_PER_IP", RateLimit(count: 20, seconds: 60))
        registerPerUser = try limiter("PACE_RATE_REGISTER_PER_USER", RateLimit(count: 5, seconds: 60))
    }

    /// Spends one attempt of `client` and of `username` (canonical form): nil when allowed,
    /// else the 429 to answer.
    package func check(_ action: Action, client: String, username: String) -> APIError? {
        let (perClient, perUser) = action == .login
            ? (loginPerClient, loginPerUser) : (registerPerClient, registerPerUser)
        if let wait = perClient?.acquire(client) ?? perUser?.acquire(username) {
            return .rateLimited(retryAfterSeconds: wait)
        }
        return nil
    }
}
