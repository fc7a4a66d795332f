import PaceCrypto
import PaceStore

/// A freshly minted refresh token: the text goes to the client once, only its SHA-256 is kept.
struct NewRefreshToken: Sendable {
    let text: String
    let hash: [UInt8]

    /// 256 random bits, base64url without padding (43 characters).
    init() {
        text = Base64.url.encode(SecureRandom.bytes(32))
        hash = Digest.sha256(Array(text.utf8))
    }

    static func hash(of text: String) -> [UInt8] {
        Digest.sha256(Array(text.utf8))
    }
}

/// A login session: the chain of refresh tokens rotated from one login or registration. Its
/// id is the access tokens' `sid` claim.
struct TokenFamily: Sendable, Equatable {
    let bytes: [UInt8]

    init() { bytes = SecureRandom.bytes(16) }
    init(bytes: [UInt8]) { self.bytes = bytes }

    var id: String { Base64.url.encode(bytes) }
}

/// What presenting a refresh token led to.
enum RefreshOutcome: Sendable {
    /// Rotated: the user, the family and the successor token (already stored).
    case rotated(UserRecord, TokenFamily)
    /// Unknown or expired.
    case invalid
    /// Already used or revoked: the whole family has now been revoked.
    case reused(TokenFamily)
}

/// The SQL behind refresh tokens; every function runs on the store's writer thread.
enum RefreshTokens {
    /// Refresh tokens live 30 days; each use replaces the token with a new one.
    static let lifetimeMilliseconds: Int64 = 30 * 24 * 3600 * 1000

    static func insert(_ token: NewRefreshToken, userID: Int64, family: TokenFamily, now: Int64,
                       in database: any StoreTransaction) throws(StoreError) {
        try database.run("""
            INSERT INTO refresh_tokens (token_hash, user_id, family_id, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?)
            """, [.blob(token.hash), .integer(userID), .blob(family.bytes), .integer(now),
                  .integer(now + lifetimeMilliseconds)])
    }

    /// Rotation in one transaction: the presented token is marked used and points at its
    /// successor, which joins the same family. A used or revoked token revokes the family.
    static func rotate(presented hash: [UInt8], successor: NewRefreshToken, now: Int64,
                       in database: any StoreTransaction) throws(StoreError) -> RefreshOutcome {
        let found = try database.queryFirst("""
            SELECT user_id, family_id, expires_at, used_at IS NOT NULL OR revoked_at IS NOT NULL
            FROM refresh_tokens WHERE token_hash = ?
            """, [.blob(hash)]) { row in
            (user: row.int64(0), family: TokenFamily(bytes: row.bytes(1)), expires: row.int64(2), spent: row.bool(3))
        }
        guard let found else { return .invalid }
        if found.spent {
            try revoke(found.family, now: now, in: database)
            return .reused(found.family)
        }
        guard found.expires > now, let user = try UserQueries.find(id: found.user, in: database) else { return .invalid }
        try insert(successor, userID: found.user, family: found.family, now: now, in: database)
        try database.run("UPDATE refresh_tokens SET used_at = ?, replaced_by = ? WHERE token_hash = ?",
                         [.integer(now), .blob(successor.hash), .blob(hash)])
        return .rotated(user, found.family)
    }

    /// Revokes the family of the token with `hash`, if there is one.
    static func revokeFamily(ofToken hash: [UInt8], now: Int64, in database: any StoreTransaction) throws(StoreError) -> TokenFamily? {
        let family = try database.queryFirst("SELECT family_id FROM refresh_tokens WHERE token_hash = ?",
                                             [.blob(hash)]) { TokenFamily(bytes: $0.bytes(0)) }
        if let family { try revoke(family, now: now, in: database) }
        return family
    }

    /// Deletes up to `limit` tokens that expired before `cutoff`; returns how many went.
    static func purge(expiredBefore cutoff: Int64, limit: Int, in database: any StoreTransaction) throws(StoreError) -> Int {
        try database.run("""
            DELETE FROM refresh_tokens WHERE token_hash IN
                (SELECT token_hash FROM refresh_tokens WHERE expires_at < ? LIMIT ?)
            """, [.integer(cutoff), .integer(Int64(limit))])
        return database.changes
    }

    /// Families revoked since `since`: their access tokens may still be alive.
    static func revokedFamilies(since: Int64, in database: any StoreTransaction) throws(StoreError) -> [TokenFamily] {
        try database.query("SELECT DISTINCT family_id FROM refresh_tokens WHERE revoked_at >= ?",
                           [.integer(since)]) { TokenFamily(bytes: $0.bytes(0)) }
    }

    static func revoke(_ family: TokenFamily, now: Int64, in database: any StoreTransaction) throws(StoreError) {
        try database.run("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                         [.integer(now), .blob(family.bytes)])
    }
}
