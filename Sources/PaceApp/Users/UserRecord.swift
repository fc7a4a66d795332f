import PaceJSON
import PaceStore

/// A stored user as the API shows it: never the password hash.
package struct UserRecord: Sendable, Equatable {
    package var id: Int64
    package var username: String
    package var displayName: String
    package var avatarUploadID: Int64?
    package var statusText: String
    /// The server role (user, moderator or admin), from `server_role`.
    package var role: String
    package var createdAt: Int64
    package var lastSeenAt: Int64?

    /// The columns `init(row:)` reads, in order.
    package static let columns =
        "id, username, display_name, avatar_upload_id, status_text, server_role, created_at, last_seen_at"

    package init(row: any StoreRow) {
        id = row.int64(0)
        username = row.string(1)
        displayName = row.string(2)
        avatarUploadID = row.optionalInt64(3)
        statusText = row.string(4)
        role = row.string(5)
        createdAt = row.int64(6)
        lastSeenAt = row.optionalInt64(7)
    }

    /// Writes the User object; `presence` comes from the hub, not the database.
    package func write(to writer: inout JSONWriter, presence: String) {
        writer.beginObject()
        writer.key("id"); writer.string(String(id))
        writer.key("username"); writer.string(username)
        writer.key("display_name"); writer.string(displayName)
        writer.key("avatar_url"); writer.stringOrNull(avatarUploadID.map(UploadRecord.url(id:)))
        writer.key("status_text"); writer.string(statusText)
        writer.key("presence"); writer.string(presence)
        writer.key("last_seen_at"); writer.timestampOrNull(milliseconds: lastSeenAt)
        writer.key("role"); writer.string(role)
        writer.key("created_at"); writer.timestamp(milliseconds: createdAt)
        writer.endObject()
    }
}

extension AppContext {
    /// Writes `user` with its live presence.
    func write(_ user: UserRecord, to writer: inout JSONWriter) {
        user.write(to: &writer, presence: presence.presence(of: user.id))
    }
}
