import PaceStore

/// Who asks, from where, and when: what every privileged action records in the audit log.
struct AdminCaller: Sendable {
    let id: Int64
    let client: String
    let now: Int64
    let statistics: AdminStatistics

    /// Appends `entry` inside the caller's transaction, so it commits with the action.
    func record(_ entry: AuditEntry, in db: any StoreTransaction) throws(StoreError) {
        try AuditLog.append(entry, in: db)
        if entry.allowed {
            statistics.auditAllowed.add(1, ordering: .relaxed)
        } else {
            statistics.auditDenied.add(1, ordering: .relaxed)
        }
    }

    func entry(_ action: String, target: Int64?, allowed: Bool, detail: String = "") -> AuditEntry {
        AuditEntry(actorID: id, action: action, targetType: target == nil ? "" : "user", targetID: target,
                   allowed: allowed, detail: detail, client: client, createdAt: now)
    }
}

/// The stable refusals of the administration routes.
extension APIError {
    static let adminRequired = APIError(403, "admin_required", "Only a server admin may do this.")
    static let moderatorRequired = APIError(403, "moderator_required", "Only a server moderator or admin may do this.")
    static let lastAdmin = APIError(409, "last_admin", "The last active admin cannot be demoted or deactivated.")
    static let targetIsAdmin = APIError(409, "target_is_admin", "Demote an admin before deactivating them.")
    static let accountDeactivated = APIError(403, "account_deactivated", "This account has been deactivated.")
}

/// Role changes, deactivation and reactivation, each on the writer in one transaction that
/// checks the caller's role in the store, applies the change and appends the audit entry. A
/// refusal is audited too: the entry is the only write, and a refusal commits it.
enum AccountAdministration {
    /// What deactivating changed: the login sessions to revoke in memory and on live sockets.
    struct Deactivation: Sendable {
        let user: UserRecord
        let families: [TokenFamily]
    }

    static func setRole(_ role: ServerRole, of target: Int64, by caller: AdminCaller,
                        in db: any StoreTransaction) throws(StoreError) -> Result<UserRecord, APIError> {
        let action = "user.role.set"
        guard try ServerStanding.isAdmin(caller.id, in: db) else {
            return try deny(action, target, caller, .adminRequired, detail: role.rawValue, db)
        }
        guard let standing = try ServerStanding.of(target, in: db) else { return .failure(.notFound) }
        let demotesAnAdmin = standing.role == .admin && role != .admin && !standing.deactivated
        if demotesAnAdmin, try activeAdmins(db) <= 1 {
            return try deny(action, target, caller, .lastAdmin, detail: role.rawValue, db)
        }
        try db.run("UPDATE users SET server_role = ?1, role = ?2 WHERE id = ?3",
                   [.text(role.rawValue), .text(role == .admin ? "admin" : "user"), .integer(target)])
        try caller.record(caller.entry(action, target: target, allowed: true,
                                         detail: "\(standing.role.rawValue) -> \(role.rawValue)"), in: db)
        return try found(target, db)
    }

    /// Marks the account deactivated and revokes every refresh token it holds. Admins are
    /// demoted first, so an admin cannot lock the server out by deactivating the last one.
    static func deactivate(_ target: Int64, by caller: AdminCaller,
                           in db: any StoreTransaction) throws(StoreError) -> Result<Deactivation, APIError> {
        let action = "user.deactivate"
        guard try ServerStanding.isAdmin(caller.id, in: db) else {
            return try deny(action, target, caller, .adminRequired, db)
        }
        guard let standing = try ServerStanding.of(target, in: db) else { return .failure(.notFound) }
        if standing.role == .admin { return try deny(action, target, caller, .targetIsAdmin, db) }
        if !standing.deactivated {
            try db.run("UPDATE users SET deactivated_at = ?1 WHERE id = ?2", [.integer(caller.now), .integer(target)])
        }
        let families = try db.query("""
            UPDATE refresh_tokens SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL RETURNING family_id
            """, [.integer(caller.now), .integer(target)]) { TokenFamily(bytes: $0.bytes(0)) }
        var unique: [TokenFamily] = []
        for family in families where !unique.contains(family) { unique.append(family) }
        try caller.record(caller.entry(action, target: target, allowed: true,
                                         detail: "\(unique.count) sessions revoked"), in: db)
        return try found(target, db).map { Deactivation(user: $0, families: unique) }
    }

    static func reactivate(_ target: Int64, by caller: AdminCaller,
                           in db: any StoreTransaction) throws(StoreError) -> Result<UserRecord, APIError> {
        let action = "user.reactivate"
        guard try ServerStanding.isAdmin(caller.id, in: db) else {
            return try deny(action, target, caller, .adminRequired, db)
        }
        guard try ServerStanding.of(target, in: db) != nil else { return .failure(.notFound) }
        try db.run("UPDATE users SET deactivated_at = NULL WHERE id = ?1", [.integer(target)])
        try caller.record(caller.entry(action, target: target, allowed: true), in: db)
        return try found(target, db)
    }

    /// The audit page, for admins only.
    static func audit(before: Int64?, limit: Int, by caller: AdminCaller,
                      in db: any StoreTransaction) throws(StoreError) -> Result<[AuditEntry], APIError> {
        guard try ServerStanding.isAdmin(caller.id, in: db) else {
            return try deny("audit.read", nil, caller, .adminRequired, db)
        }
        return .success(try AuditLog.page(before: before, limit: limit, in: db))
    }

    private static func activeAdmins(_ db: any StoreTransaction) throws(StoreError) -> Int64 {
        try db.queryFirst("SELECT COUNT(*) FROM users WHERE server_role = 'admin' AND deactivated_at IS NULL") {
            $0.int64(0)
        } ?? 0
    }

    private static func deny<T>(_ action: String, _ target: Int64?, _ caller: AdminCaller, _ error: APIError,
                                detail: String = "", _ db: any StoreTransaction) throws(StoreError) -> Result<T, APIError> {
        try caller.record(caller.entry(action, target: target, allowed: false,
                                         detail: detail.isEmpty ? error.code : "\(error.code): \(detail)"), in: db)
        return .failure(error)
    }

    private static func found(_ id: Int64, _ db: any StoreTransaction) throws(StoreError) -> Result<UserRecord, APIError> {
        guard let user = try UserQueries.find(id: id, in: db) else { return .failure(.notFound) }
        return .success(user)
    }
}
