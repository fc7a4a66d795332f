import PaceCrypto
import PaceStore

/// Who may register (`PACE_REGISTRATION`): anyone, holders of an admin-issued invite code, or
/// nobody (accounts then come from `pace admin create`).
package enum RegistrationMode: String, Sendable {
    case open, invite, closed

    static func from(environment: [String: String]) throws(ConfigurationError) -> RegistrationMode {
        guard let text = environment["PACE_REGISTRATION"] else { return .open }
        guard let mode = RegistrationMode(rawValue: text) else {
            throw ConfigurationError("PACE_REGISTRATION must be open, invite or closed, got '\(text)'")
        }
        return mode
    }
}

extension APIError {
    static let registrationClosed = APIError(403, "registration_closed", "This server does not take new accounts.")
    static let inviteRequired = APIError(403, "invite_required", "Registering here takes an invite code.")
    static let inviteInvalid = APIError(403, "invite_invalid", "The invite code is unknown.")
    static let inviteExpired = APIError(403, "invite_expired", "The invite code has expired.")
    static let inviteUsedUp = APIError(403, "invite_used_up", "The invite code has no uses left.")
}

/// Invite codes: 128 random bits shown once to the admin who made them, kept as SHA-256.
enum Invites {
    static let uses = 1...1000
    /// Up to 30 days; a week when the admin does not say.
    static let lifetimeSeconds: ClosedRange<Int64> = 60...(30 * 24 * 3600)
    static let defaultLifetimeSeconds: Int64 = 7 * 24 * 3600

    struct Issued: Sendable {
        let code: String
        let uses: Int64
        let expiresAt: Int64
    }

    static func issue(uses: Int64, lifetimeSeconds: Int64, by caller: AdminCaller,
                      in db: any StoreTransaction) throws(StoreError) -> Result<Issued, APIError> {
        guard try ServerStanding.isAdmin(caller.id, in: db) else {
            try caller.record(caller.entry("invite.create", target: nil, allowed: false, detail: "admin_required"), in: db)
            return .failure(.adminRequired)
        }
        let code = Base64.url.encode(SecureRandom.bytes(16))
        let expiresAt = caller.now + lifetimeSeconds * 1000
        try db.run("""
            INSERT INTO invites (code_hash, created_by, uses_left, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
            """, [.blob(Digest.sha256(Array(code.utf8))), .integer(caller.id), .integer(uses), .integer(expiresAt),
                  .integer(caller.now)])
        try caller.record(caller.entry("invite.create", target: nil, allowed: true,
                                         detail: "\(uses) uses, expires \(expiresAt)"), in: db)
        return .success(Issued(code: code, uses: uses, expiresAt: expiresAt))
    }

    /// Takes one use of `code`, refusing before any write when it cannot be used.
    static func redeem(_ code: String, now: Int64, in db: any StoreTransaction) throws(StoreError) -> APIError? {
        let hash = Digest.sha256(Array(code.utf8))
        let found = try db.queryFirst("SELECT uses_left, expires_at FROM invites WHERE code_hash = ?1", [.blob(hash)]) {
            (uses: $0.int64(0), expiresAt: $0.int64(1))
        }
        guard let found else { return .inviteInvalid }
        guard found.expiresAt > now else { return .inviteExpired }
        guard found.uses > 0 else { return .inviteUsedUp }
        try db.run("UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = ?1", [.blob(hash)])
        return nil
    }
}
