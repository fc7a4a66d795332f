import PaceJSON
import PaceStore

/// A member's report of a message, as moderators see it (with the message's current body).
struct ReportRecord: Sendable {
    var id: Int64
    var messageID: Int64
    var conversationID: Int64
    var reporterID: Int64
    var reason: String
    var status: String
    var createdAt: Int64
    var resolvedBy: Int64?
    var resolvedAt: Int64?
    var note: String
    var messageBody: String
    var messageSenderID: Int64

    static let select = """
        SELECT r.id, r.message_id, r.conversation_id, r.reporter_id, r.reason, r.status, r.created_at,
               r.resolved_by, r.resolved_at, r.note, m.body, m.sender_id
        FROM reports r JOIN messages m ON m.id = r.message_id
        """

    init(row: any StoreRow) {
        id = row.int64(0)
        messageID = row.int64(1)
        conversationID = row.int64(2)
        reporterID = row.int64(3)
        reason = row.string(4)
        status = row.string(5)
        createdAt = row.int64(6)
        resolvedBy = row.optionalInt64(7)
        resolvedAt = row.optionalInt64(8)
        note = row.string(9)
        messageBody = row.string(10)
        messageSenderID = row.int64(11)
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(id))
        writer.key("message_id"); writer.string(String(messageID))
        writer.key("conversation_id"); writer.string(String(conversationID))
        writer.key("reporter_id"); writer.string(String(reporterID))
        writer.key("reason"); writer.string(reason)
        writer.key("status"); writer.string(status)
        writer.key("created_at"); writer.timestamp(milliseconds: createdAt)
        writer.key("resolved_by"); writer.stringOrNull(resolvedBy.map { String($0) })
        writer.key("resolved_at"); writer.timestampOrNull(milliseconds: resolvedAt)
        writer.key("note"); writer.string(note)
        writer.key("message"); writer.beginObject()
        writer.key("sender_id"); writer.string(String(messageSenderID))
        writer.key("body"); writer.string(messageBody)
        writer.endObject()
        writer.endObject()
    }
}

extension APIError {
    static let alreadyReported = APIError(409, "already_reported", "You have already reported this message.")
    static let reportClosed = APIError(409, "report_closed", "This report was already resolved or dismissed.")
}

/// Reports: members file them; moderators and admins list and close them, audited.
enum Reports {
    static let reasonLength = 1...500

    /// Only a member sees the message, so only a member may report it (404 otherwise).
    static func file(messageID: Int64, conversationID: Int64, reason: String, reporterID: Int64, now: Int64,
                     in db: any StoreTransaction) throws(StoreError) -> Result<ReportRecord, APIError> {
        guard try Membership.find(db, conversationID: conversationID, userID: reporterID) != nil,
              let message = try MessageQueries.find(db, id: messageID, conversationID: conversationID),
              !message.deleted else { return .failure(.notFound) }
        let taken = try db.queryFirst("SELECT 1 FROM reports WHERE message_id = ?1 AND reporter_id = ?2",
                                      [.integer(messageID), .integer(reporterID)]) { $0.int64(0) }
        if taken != nil { return .failure(.alreadyReported) }
        let id = try db.queryFirst("""
            INSERT INTO reports (message_id, conversation_id, reporter_id, reason, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id
            """, [.integer(messageID), .integer(conversationID), .integer(reporterID), .text(reason), .integer(now)]) {
            $0.int64(0)
        } ?? 0
        return try find(id, db)
    }

    /// Up to `limit + 1` reports with `status`, oldest first after `after`.
    static func list(status: String, after: Int64, limit: Int, by caller: AdminCaller,
                     in db: any StoreTransaction) throws(StoreError) -> Result<[ReportRecord], APIError> {
        guard try ServerStanding.has(.moderator, caller.id, in: db) else {
            try caller.record(caller.entry("report.list", target: nil, allowed: false, detail: "moderator_required"), in: db)
            return .failure(.moderatorRequired)
        }
        return .success(try db.query("\(ReportRecord.select) WHERE r.status = ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3",
                                     [.text(status), .integer(after), .integer(Int64(limit + 1))]) { ReportRecord(row: $0) })
    }

    /// Closes an open report as `resolved` or `dismissed`, with the moderator's note.
    static func close(_ id: Int64, as status: String, note: String, by caller: AdminCaller,
                      in db: any StoreTransaction) throws(StoreError) -> Result<ReportRecord, APIError> {
        var entry = caller.entry("report.\(status == "resolved" ? "resolve" : "dismiss")", target: id, allowed: true,
                                 detail: note)
        entry.targetType = "report"
        guard try ServerStanding.has(.moderator, caller.id, in: db) else {
            entry.allowed = false
            entry.detail = "moderator_required"
            try caller.record(entry, in: db)
            return .failure(.moderatorRequired)
        }
        guard case .success(let report) = try find(id, db) else { return .failure(.notFound) }
        guard report.status == "open" else { return .failure(.reportClosed) }
        try db.run("UPDATE reports SET status = ?1, resolved_by = ?2, resolved_at = ?3, note = ?4 WHERE id = ?5",
                   [.text(status), .integer(caller.id), .integer(caller.now), .text(note), .integer(id)])
        try caller.record(entry, in: db)
        return try find(id, db)
    }

    private static func find(_ id: Int64, _ db: any StoreTransaction) throws(StoreError) -> Result<ReportRecord, APIError> {
        guard let report = try db.queryFirst("\(ReportRecord.select) WHERE r.id = ?1", [.integer(id)], {
            ReportRecord(row: $0)
        }) else { return .failure(.notFound) }
        return .success(report)
    }
}
