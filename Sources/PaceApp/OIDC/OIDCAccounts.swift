import PaceCrypto
import PaceStore

/// The store side of OpenID Connect sign-in: pending logins (state, nonce, PKCE verifier),
/// accounts linked by issuer and subject, and the one-time codes that hand a finished sign-in
/// to the client. Each function runs inside one writer transaction.
enum OIDCAccounts {
    static let loginLifetimeMilliseconds: Int64 = 10 * 60_000
    static let signInCodeLifetimeMilliseconds: Int64 = 60_000

    /// What `begin` keeps for the callback.
    struct PendingLogin: Sendable {
        let nonce: String
        let verifier: String
    }

    /// Stores a pending login under the hash of its `state`, dropping expired ones on the way.
    static func begin(stateHash: [UInt8], _ login: PendingLogin, now: Int64, in db: any StoreTransaction) throws(StoreError) {
        try db.run("DELETE FROM oidc_logins WHERE expires_at <= ?1", [.integer(now)])
        try db.run("DELETE FROM oidc_sign_in_codes WHERE expires_at <= ?1", [.integer(now)])
        try db.run("""
            INSERT INTO oidc_logins (state_hash, nonce, code_verifier, expires_at) VALUES (?1, ?2, ?3, ?4)
            """, [.blob(stateHash), .text(login.nonce), .text(login.verifier), .integer(now + loginLifetimeMilliseconds)])
    }

    /// Takes the pending login of `stateHash` out: it answers once, and only before it expires.
    static func take(stateHash: [UInt8], now: Int64, in db: any StoreTransaction) throws(StoreError) -> PendingLogin? {
        try db.queryFirst("""
            DELETE FROM oidc_logins WHERE state_hash = ?1 RETURNING nonce, code_verifier, expires_at
            """, [.blob(stateHash)]) { row in
            row.int64(2) > now ? PendingLogin(nonce: row.string(0), verifier: row.string(1)) : nil
        } ?? nil
    }

    /// How a new account is made when an unknown identity signs in.
    struct NewAccountRules: Sendable {
        let registration: RegistrationMode
        let firstUserAdmin: Bool
    }

    /// The account linked to `issuer` and `claims.subject`, made when there is none and
    /// registration is open; then a one-time sign-in code for it.
    static func complete(issuer: String, claims: IDTokenClaims, rules: NewAccountRules, code: [UInt8], now: Int64,
                         in db: any StoreTransaction) throws(StoreError) -> Result<Int64, APIError> {
        let linked = try db.queryFirst("""
            SELECT u.id, u.deactivated_at IS NOT NULL OR u.deleted_at IS NOT NULL
            FROM oidc_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = ?1 AND i.subject = ?2
            """, [.text(issuer), .text(claims.subject)]) { (id: $0.int64(0), closed: $0.bool(1)) }
        let userID: Int64
        if let linked {
            if linked.closed { return .failure(.accountDeactivated) }
            userID = linked.id
        } else {
            switch rules.registration {
            case .open: break
            case .invite: return .failure(.inviteRequired)
            case .closed: return .failure(.registrationClosed)
            }
            userID = try create(claims, firstUserAdmin: rules.firstUserAdmin, now: now, in: db)
            try db.run("INSERT INTO oidc_identities (issuer, subject, user_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                       [.text(issuer), .text(claims.subject), .integer(userID), .integer(now)])
        }
        try db.run("INSERT INTO oidc_sign_in_codes (code_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
                   [.blob(code), .integer(userID), .integer(now + signInCodeLifetimeMilliseconds)])
        return .success(userID)
    }

    /// Spends a sign-in code and opens a login session for its account.
    static func redeem(code: [UInt8], token: NewRefreshToken, family: TokenFamily, now: Int64,
                       in db: any StoreTransaction) throws(StoreError) -> Result<UserRecord, APIError> {
        let spent = try db.queryFirst("DELETE FROM oidc_sign_in_codes WHERE code_hash = ?1 RETURNING user_id, expires_at",
                                      [.blob(code)]) { (user: $0.int64(0), expires: $0.int64(1)) }
        guard let spent, spent.expires > now else { return .failure(OIDCError.signInCodeInvalid.apiError) }
        let closed = try db.queryFirst("SELECT deactivated_at IS NOT NULL OR deleted_at IS NOT NULL FROM users WHERE id = ?1",
                                       [.integer(spent.user)]) { $0.bool(0) }
        guard closed == false else { return .failure(.accountDeactivated) }
        try RefreshTokens.insert(token, userID: spent.user, family: family, now: now, in: db)
        guard let user = try UserQueries.find(id: spent.user, in: db) else { return .failure(.notFound) }
        return .success(user)
    }

    /// A new account without a password (`password_hash` holds no encoding that can verify):
    /// its username comes from `preferred_username` when that is free and valid.
    private static func create(_ claims: IDTokenClaims, firstUserAdmin: Bool, now: Int64,
                               in db: any StoreTransaction) throws(StoreError) -> Int64 {
        let username = try freeUsername(base: usernameBase(claims.preferredUsername), in: db)
        var displayName = username
        if let name = claims.name, case .valid(let trimmed) = ProfileRules.displayName(name) { displayName = trimmed }
        let id = try db.queryFirst("""
            INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id
            """, [.text(username), .text(displayName), .text("oidc"), .integer(now)]) { $0.int64(0) } ?? 0
        if firstUserAdmin {
            try db.run("""
                UPDATE users SET role = 'admin', server_role = 'admin'
                WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM users WHERE id <> ?1)
                """, [.integer(id)])
        }
        return id
    }

    /// `preferred_username` folded into Pace's username alphabet, or "user".
    static func usernameBase(_ preferred: String?) -> String {
        let allowed = CredentialRules.canonicalUsername(preferred ?? "").utf8.filter { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"): true
            default: false
            }
        }
        let base = String(decoding: allowed.prefix(26), as: UTF8.self)
        return base.utf8.count >= 3 ? base : "user"
    }

    private static func freeUsername(base: String, in db: any StoreTransaction) throws(StoreError) -> String {
        var candidate = base
        for _ in 0..<8 {
            let taken = try db.queryFirst("SELECT 1 FROM users WHERE username = ?1", [.text(candidate)]) { $0.int64(0) }
            if taken == nil { return candidate }
            candidate = base + "-" + Hex.encode(SecureRandom.bytes(2))
        }
        return "user-" + Hex.encode(SecureRandom.bytes(8))
    }
}
