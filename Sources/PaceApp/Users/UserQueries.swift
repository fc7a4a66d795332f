import PaceStore

/// The SQL behind the user routes; every function runs on a store thread.
enum UserQueries {
    static func find(id: Int64, in database: any StoreTransaction) throws(StoreError) -> UserRecord? {
        try database.queryFirst("SELECT \(UserRecord.columns) FROM users WHERE id = ?", [.integer(id)]) {
            UserRecord(row: $0)
        }
    }

    /// One page of users whose username or display name starts with `prefix` (ASCII
    /// case-insensitively), in username order after `afterUsername`. Fetches one row more than
    /// `limit` so the caller knows whether another page exists.
    static func search(prefix: String, afterUsername: String, limit: Int,
                       in database: any StoreTransaction) throws(StoreError) -> [UserRecord] {
        let pattern = likeEscaped(prefix) + "%"
        return try database.query("""
            SELECT \(UserRecord.columns) FROM users
            WHERE username > ? AND (username LIKE ?2 ESCAPE '\\' OR display_name LIKE ?2 ESCAPE '\\')
            ORDER BY username LIMIT ?
            """, [.text(afterUsername), .text(pattern), .integer(Int64(limit + 1))]) { UserRecord(row: $0) }
    }

    /// Makes `%`, `_` and `\` match themselves in a LIKE pattern (`_` is common in usernames).
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// What a profile change came to.
enum ProfileOutcome: Sendable {
    case updated(UserRecord)
    /// The avatar is not an image upload of the caller's.
    case invalidAvatar
    case noSuchUser
}

extension UserQueries {
    /// Applies `change` to user `id` in one transaction, checking the avatar upload first.
    static func update(id: Int64, with change: ProfileChange, in database: any StoreTransaction) throws(StoreError) -> ProfileOutcome {
        var avatarID: Int64?
        if case .set(let uploadID) = change.avatar {
            let usable = try database.queryFirst("""
                SELECT 1 FROM uploads WHERE id = ? AND owner_id = ? AND content_type LIKE 'image/%'
                """, [.integer(uploadID), .integer(id)]) { _ in true }
            guard usable != nil else { return .invalidAvatar }
            avatarID = uploadID
        }
        try database.run("""
            UPDATE users SET display_name = COALESCE(?1, display_name), status_text = COALESCE(?2, status_text),
                avatar_upload_id = CASE WHEN ?3 = 1 THEN ?4 ELSE avatar_upload_id END
            WHERE id = ?5
            """, [change.displayName.map(SQLValue.text) ?? .null, change.statusText.map(SQLValue.text) ?? .null,
                  .integer(change.avatar == .keep ? 0 : 1), avatarID.map(SQLValue.integer) ?? .null, .integer(id)])
        guard let user = try find(id: id, in: database) else { return .noSuchUser }
        return .updated(user)
    }
}

extension UserQueries {
    /// Records when `id` closed their last connection.
    static func recordLastSeen(id: Int64, at time: Int64, in database: any StoreTransaction) throws(StoreError) {
        try database.run("UPDATE users SET last_seen_at = ? WHERE id = ?", [.integer(time), .integer(id)])
    }
}
