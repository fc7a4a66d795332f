import PaceJSON
import PaceStore

/// How much of a conversation a member wants to hear about: everything, mentions of them only,
/// or nothing. Pace itself stores and reports it; push delivery (issue 18) may read it.
package enum NotificationLevel: String, Sendable {
    case all, mentions, none
}

/// A member's notification level, and a time before which they hear nothing (0 = not muted).
package struct NotificationSetting: Sendable, Equatable {
    package var level = NotificationLevel.all
    package var mutedUntil: Int64 = 0

    package init(level: NotificationLevel = .all, mutedUntil: Int64 = 0) {
        self.level = level
        self.mutedUntil = mutedUntil
    }

    /// `{level, muted_until?}`: `muted_until` an RFC 3339 time, or null (or absent) for none.
    package static func parse(_ request: AppRequest) -> Result<NotificationSetting, APIError> {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return .failure(error) }
        var setting = NotificationSetting()
        if let text = reader.string("level", required: true) {
            if let level = NotificationLevel(rawValue: text) { setting.level = level } else {
                reader.addProblem("level", "must be all, mentions or none")
            }
        }
        if let value = reader["muted_until"], !value.isNull {
            if let text = value.stringValue, let time = Timestamp.milliseconds(rfc3339: text), time > 0 {
                setting.mutedUntil = time
            } else {
                reader.addProblem("muted_until", "must be an RFC 3339 date-time or null")
            }
        }
        guard reader.problems.isEmpty else { return .failure(.validation(reader.problems)) }
        return .success(setting)
    }

    /// Stores the caller's setting: 404 when they are not a member.
    static func store(_ db: any StoreTransaction, conversationID: Int64, userID: Int64,
                      _ setting: NotificationSetting) throws(StoreError) -> Result<NotificationSetting, APIError> {
        try db.run("""
            UPDATE members SET notify = ?1, notify_muted_until = ?2 WHERE conversation_id = ?3 AND user_id = ?4
            """, [.text(setting.level.rawValue), .integer(setting.mutedUntil), .integer(conversationID), .integer(userID)])
        return db.changes == 1 ? .success(setting) : .failure(.notFound)
    }

    func write(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("level"); writer.string(level.rawValue)
        writer.key("muted_until"); writer.timestampOrNull(milliseconds: mutedUntil > 0 ? mutedUntil : nil)
        writer.endObject()
    }
}
