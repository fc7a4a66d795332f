import PaceJSON
import PaceStore

/// One privileged action, allowed or refused.
package struct AuditEntry: Sendable, Equatable {
    package var id: Int64 = 0
    package var actorID: Int64
    package var action: String
    package var targetType: String
    package var targetID: Int64?
    package var allowed: Bool
    package var detail: String
    package var client: String
    package var createdAt: Int64

    static let columns = "id, actor_id, action, target_type, target_id, outcome, detail, client, created_at"

    init(actorID: Int64, action: String, targetType: String, targetID: Int64?, allowed: Bool, detail: String,
         client: String, createdAt: Int64) {
        self.actorID = actorID
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.allowed = allowed
        self.detail = detail
        self.client = client
        self.createdAt = createdAt
    }

    init(row: any StoreRow) {
        id = row.int64(0)
        actorID = row.int64(1)
        action = row.string(2)
        targetType = row.string(3)
        targetID = row.optionalInt64(4)
        allowed = row.string(5) == "allowed"
        detail = row.string(6)
        client = row.string(7)
        createdAt = row.int64(8)
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(id))
        writer.key("actor_id"); writer.string(String(actorID))
        writer.key("action"); writer.string(action)
        writer.key("target_type"); writer.string(targetType)
        writer.key("target_id"); writer.stringOrNull(targetID.map { String($0) })
        writer.key("outcome"); writer.string(allowed ? "allowed" : "denied")
        writer.key("detail"); writer.string(detail)
        writer.key("client"); writer.string(client)
        writer.key("created_at"); writer.timestamp(milliseconds: createdAt)
        writer.endObject()
    }
}

/// The append-only audit log (the table's triggers refuse updates and deletes).
package enum AuditLog {
    /// Appends `entry` inside the caller's transaction, so the record commits with the action.
    static func append(_ entry: AuditEntry, in db: any StoreTransaction) throws(StoreError) {
        try db.run("""
            INSERT INTO audit_log (actor_id, action, target_type, target_id, outcome, detail, client, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """, [.integer(entry.actorID), .text(entry.action), .text(entry.targetType),
                  entry.targetID.map { .integer($0) } ?? .null, .text(entry.allowed ? "allowed" : "denied"),
                  .text(entry.detail), .text(entry.client), .integer(entry.createdAt)])
    }

    /// Up to `limit + 1` entries older than `before` (all when nil), newest first.
    static func page(before: Int64?, limit: Int, in db: any StoreTransaction) throws(StoreError) -> [AuditEntry] {
        try db.query("""
            SELECT \(AuditEntry.columns) FROM audit_log WHERE id < ?1 ORDER BY id DESC LIMIT ?2
            """, [.integer(before ?? Int64.max), .integer(Int64(limit + 1))]) { AuditEntry(row: $0) }
    }

    /// How many entries there are, for /metrics.
    package static func count(in db: any StoreTransaction) throws(StoreError) -> Int64 {
        try db.queryFirst("SELECT COUNT(*) FROM audit_log") { $0.int64(0) } ?? 0
    }
}
