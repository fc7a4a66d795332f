import PaceCrypto
import PaceStore
import PaceSystem

/// Deleting an account, by its owner (`DELETE /api/v1/me`, password re-checked) or by an admin
/// (`DELETE /api/v1/admin/users/{id}`), audited either way.
///
/// The account row stays, anonymised (`deleted-<id>`, "Deleted user", no password, no avatar or
/// status, `deleted_at` and `deactivated_at` set), because messages, memberships, reactions and
/// the audit log refer to it and conversations must keep their shape. What the person wrote is
/// erased: every message of theirs becomes what a delete leaves (empty body, `deleted`), their
/// files go with the messages or at once when unattached, and their devices, blocks, linked
/// identities and login sessions are removed. The first transaction does the account; the
/// messages follow in batches on the blocking pool, like the retention job, so the store's
/// writer is never held for long.
enum AccountDeletion {
    static let batch = 500

    /// What the first transaction changed: sessions to end in memory and files to erase.
    struct Deleted: Sendable {
        let families: [TokenFamily]
        let files: [String]
    }

    static let passwordIncorrect = APIError(403, "password_incorrect", "The password is wrong.")

    /// Checks and applies the deletion of `target` by `caller` (the same user, or an admin).
    static func delete(_ target: Int64, by caller: AdminCaller, in db: any StoreTransaction) throws(StoreError) -> Result<Deleted, APIError> {
        let byOwner = caller.id == target
        let action = byOwner ? "account.delete" : "user.delete"
        if !byOwner, try !ServerStanding.isAdmin(caller.id, in: db) {
            return try deny(action, target, caller, .adminRequired, db)
        }
        guard let standing = try ServerStanding.of(target, in: db),
              try db.queryFirst("SELECT deleted_at IS NULL FROM users WHERE id = ?1", [.integer(target)], { $0.bool(0) }) == true else {
            return .failure(.notFound)
        }
        if standing.role == .admin {
            if !byOwner { return try deny(action, target, caller, .targetIsAdmin, db) }
            let admins = try db.queryFirst("SELECT COUNT(*) FROM users WHERE server_role = 'admin' AND deactivated_at IS NULL") {
                $0.int64(0)
            } ?? 0
            if admins <= 1 { return try deny(action, target, caller, .lastAdmin, db) }
        }
        let now = caller.now
        // Usernames are free-form, so someone may have registered this one: then a random name.
        var anonymous = "deleted-\(target)"
        if try db.queryFirst("SELECT 1 FROM users WHERE username = ?1 AND id <> ?2", [.text(anonymous), .integer(target)], {
            $0.int64(0)
        }) != nil {
            anonymous = "deleted-" + Hex.encode(SecureRandom.bytes(8))
        }
        try db.run("""
            UPDATE users SET username = ?1, display_name = 'Deleted user', password_hash = '', status_text = '',
                avatar_upload_id = NULL, role = 'user', server_role = 'user', muted_until = NULL,
                deactivated_at = COALESCE(deactivated_at, ?2), deleted_at = ?2
            WHERE id = ?3
            """, [.text(anonymous), .integer(now), .integer(target)])
        let families = try db.query("""
            UPDATE refresh_tokens SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL RETURNING family_id
            """, [.integer(now), .integer(target)]) { TokenFamily(bytes: $0.bytes(0)) }
        try db.run("DELETE FROM oidc_identities WHERE user_id = ?1", [.integer(target)])
        try db.run("DELETE FROM oidc_sign_in_codes WHERE user_id = ?1", [.integer(target)])
        try db.run("DELETE FROM blocks WHERE blocker_id = ?1", [.integer(target)])
        let devices = try db.query("SELECT id FROM devices WHERE user_id = ?1", [.integer(target)]) { $0.int64(0) }
        for device in devices {
            _ = try DeviceWrites.remove(db, userID: target, deviceID: device, now: now)
        }
        let files = try db.query("""
            DELETE FROM uploads AS u WHERE u.owner_id = ?1
              AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE upload_id = u.id)
            RETURNING sha256
            """, [.integer(target)]) { $0.string(0) }
        var unique: [TokenFamily] = []
        for family in families where !unique.contains(family) { unique.append(family) }
        try caller.record(AuditEntry(actorID: caller.id, action: action, targetType: "user", targetID: target, allowed: true,
                                     detail: "\(unique.count) sessions revoked", client: caller.client, createdAt: now), in: db)
        return .success(Deleted(families: unique, files: files))
    }

    /// Erases up to `batch` messages of `user`; returns how many and the files now unused.
    static func eraseMessages(of user: Int64, batch: Int = batch, in db: any StoreTransaction) throws(StoreError) -> (Int, [String]) {
        let ids = try db.query("SELECT id FROM messages WHERE sender_id = ?1 AND deleted = 0 ORDER BY id LIMIT ?2",
                               [.integer(user), .integer(Int64(batch))]) { $0.int64(0) }
        var files: [String] = []
        for id in ids {
            let version = try db.nextSequence()
            try db.run("UPDATE messages SET body = '', deleted = 1, version = ?1 WHERE id = ?2", [.integer(version), .integer(id)])
            try db.run("DELETE FROM message_ciphertexts WHERE message_id = ?1", [.integer(id)])
            try db.run("DELETE FROM message_edits WHERE message_id = ?1", [.integer(id)])
            files += try UploadQueries.detach(messageID: id, in: db)
        }
        return (ids.count, files)
    }

    /// Erases every message of `user` batch by batch, then their files. Blocks on the store:
    /// pool threads and tests only.
    static func eraseAllMessages(of user: Int64, store: any Store, eraser: ContentEraser) {
        do {
            while true {
                let (count, files) = try store.writeNow { db throws(StoreError) in try eraseMessages(of: user, in: db) }
                for sha256 in Set(files) { _ = eraser.erase(sha256) }
                if count < batch { break }
            }
        } catch {
            Log.error("erasing a deleted account's messages failed", ["user": String(user), "error": "\(error)"])
        }
    }

    private static func deny<T>(_ action: String, _ target: Int64, _ caller: AdminCaller, _ error: APIError,
                                _ db: any StoreTransaction) throws(StoreError) -> Result<T, APIError> {
        try caller.record(caller.entry(action, target: target, allowed: false, detail: error.code), in: db)
        return .failure(error)
    }
}
