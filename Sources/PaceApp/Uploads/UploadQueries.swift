import PaceStore

/// The SQL of uploads, all with bound parameters.
package enum UploadQueries {
    package static func insert(ownerID: Int64, sha256: String, size: Int64, contentType: String, filename: String,
                               createdAt: Int64, in database: any StoreTransaction) throws(StoreError) -> UploadRecord {
        let id = try database.queryFirst("""
            INSERT INTO uploads (owner_id, sha256, size, content_type, filename, created_at)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING id
            """, [.integer(ownerID), .text(sha256), .integer(size), .text(contentType), .text(filename),
                  .integer(createdAt)]) { $0.int64(0) } ?? 0
        return UploadRecord(id: id, ownerID: ownerID, sha256: sha256, size: size,
                            contentType: contentType, filename: filename, createdAt: createdAt)
    }

    package static func find(id: Int64, in database: any StoreTransaction) throws(StoreError) -> UploadRecord? {
        try database.queryFirst("SELECT \(UploadRecord.columns) FROM uploads WHERE id = ?", [.integer(id)],
                                UploadRecord.init(row:))
    }

    /// The upload if `userID` may download it: its uploader; a member of a conversation where
    /// a message that is not deleted carries it; anyone when it is some user's avatar (avatars
    /// are shown wherever their user is).
    package static func readable(id: Int64, by userID: Int64, in database: any StoreTransaction) throws(StoreError) -> UploadRecord? {
        try database.queryFirst("""
            SELECT \(UploadRecord.columns) FROM uploads AS u
            WHERE u.id = ?1 AND (
                u.owner_id = ?2
                OR EXISTS (SELECT 1 FROM users WHERE avatar_upload_id = u.id)
                OR EXISTS (SELECT 1 FROM message_attachments AS a
                           JOIN messages AS m ON m.id = a.message_id AND m.deleted = 0
                           JOIN members AS p ON p.conversation_id = m.conversation_id AND p.user_id = ?2
                           WHERE a.upload_id = u.id))
            """, [.integer(id), .integer(userID)], UploadRecord.init(row:))
    }

    /// Deletes up to `limit` uploads created before `cutoff` that were never attached and are
    /// nobody's avatar; returns the SHA-256 of each one deleted.
    static func deleteUnattached(createdBefore cutoff: Int64, limit: Int, in database: any StoreTransaction) throws(StoreError) -> [String] {
        let doomed = try database.query("""
            SELECT id, sha256 FROM uploads AS u
            WHERE u.attached = 0 AND u.created_at < ?
              AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE upload_id = u.id)
              AND NOT EXISTS (SELECT 1 FROM users WHERE avatar_upload_id = u.id)
            LIMIT ?
            """, [.integer(cutoff), .integer(Int64(limit))]) { (id: $0.int64(0), sha256: $0.string(1)) }
        for upload in doomed {
            try database.run("DELETE FROM uploads WHERE id = ?", [.integer(upload.id)])
        }
        return doomed.map(\.sha256)
    }

    /// Removes a message's attachments, then deletes each of those uploads that no other message
    /// carries (attachment rows exist for live messages only) and that is nobody's avatar.
    /// Returns the SHA-256 of each upload deleted: its file goes after the commit, unless
    /// another upload row shares the content.
    static func detach(messageID: Int64, in database: any StoreTransaction) throws(StoreError) -> [String] {
        let attached = try database.query("SELECT upload_id FROM message_attachments WHERE message_id = ?1",
                                          [.integer(messageID)]) { $0.int64(0) }
        guard !attached.isEmpty else { return [] }
        try database.run("DELETE FROM message_attachments WHERE message_id = ?1", [.integer(messageID)])
        let ids = SQLValue.text(MessageQueries.idList(attached))
        let doomed = try database.query("""
            SELECT id, sha256 FROM uploads AS u
            WHERE u.id IN (SELECT value FROM json_each(?1))
              AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE upload_id = u.id)
              AND NOT EXISTS (SELECT 1 FROM users WHERE avatar_upload_id = u.id)
            """, [ids]) { (id: $0.int64(0), sha256: $0.string(1)) }
        for upload in doomed {
            try database.run("DELETE FROM uploads WHERE id = ?1", [.integer(upload.id)])
        }
        return doomed.map(\.sha256)
    }

    /// Whether any upload row still uses the content `sha256`.
    static func isReferenced(sha256: String, in database: any StoreTransaction) throws(StoreError) -> Bool {
        try database.queryFirst("SELECT 1 FROM uploads WHERE sha256 = ? LIMIT 1", [.text(sha256)]) { _ in true } ?? false
    }
}
