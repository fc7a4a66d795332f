import PaceSystem
import Synchronization

/// Who made a request, as proven by its access token.
package struct AuthenticatedUser: Sendable, Equatable {
    package let id: Int64
    /// The refresh-token family (login session) the token belongs to.
    package let family: String
    /// Seconds since the epoch when the token stops being valid.
    package let expiresAt: Int64
}

/// Checks access tokens: signature, times, and that their login session was not revoked.
/// Revocations are kept in memory for as long as a token issued before them could live, so
/// the check costs no database read.
package final class Authenticator: Sendable {
    package let codec: AccessTokenCodec
    /// Access-token lifetime in seconds.
    package let accessTokenSeconds: Int64
    private let revoked = Mutex<[String: Int64]>([:])
    private let listeners = Mutex<[@Sendable (String) -> Void]>([])

    package init(codec: AccessTokenCodec, accessTokenSeconds: Int64) {
        self.codec = codec
        self.accessTokenSeconds = accessTokenSeconds
    }

    /// The caller of `request`, or 401.
    package func authenticate(_ request: AppRequest) -> Result<AuthenticatedUser, APIError> {
        guard let token = request.bearerToken else { return .failure(.unauthorized) }
        return authenticate(token: token)
    }

    /// The owner of `token`, `tokenExpired` for a genuine token past its expiry (the signature
    /// is checked before the times, so only a token Pace issued can say it expired), and
    /// `invalidToken` for anything else.
    package func authenticate(token: String) -> Result<AuthenticatedUser, APIError> {
        let now = Clock.wallMilliseconds() / 1000
        let claims: AccessClaims
        switch codec.verify(token, now: now) {
        case .success(let verified): claims = verified
        case .failure(.expired): return .failure(.tokenExpired)
        case .failure: return .failure(.invalidToken)
        }
        if isRevoked(claims.family, now: now) { return .failure(.invalidToken) }
        return .success(AuthenticatedUser(id: claims.subject, family: claims.family, expiresAt: claims.expiresAt))
    }

    /// Makes every access token of `family` invalid from now on.
    package func revoke(family: String) {
        let now = Clock.wallMilliseconds() / 1000
        revoked.withLock { table in
            // Pruned here, where entries are added, so checking a token stays a lookup.
            if table.count >= 1024 { table = table.filter { $0.value > now } }
            table[family] = now + accessTokenSeconds + 60
        }
        for listener in listeners.withLock({ $0 }) { listener(family) }
    }

    /// Calls `listener` with every family revoked from now on (live sockets close with 4001).
    package func onRevoke(_ listener: @escaping @Sendable (String) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Whether `family` was revoked; also what a live WebSocket checks to close with 4001.
    package func isRevoked(_ family: String, now: Int64) -> Bool {
        guard let forgetAt = revoked.withLock({ $0[family] }) else { return false }
        return forgetAt > now
    }
}
