#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceStore
import PaceSystem

/// Erases messages older than their retention: the server's `PACE_RETENTION_DAYS`, shortened
/// (never lengthened) by a conversation's own `retention_days`. An erased message is what a
/// delete leaves (empty body, `deleted`, a fresh version, so `since` replays it; its
/// attachments detached and their files removed when nothing else uses them).
///
/// Each batch is one short write of at most `batch` messages, and the job pauses between
/// batches, so sends queued on the store's one writer wait at most one batch.
package final class RetentionJob: Sendable {
    private let store: any Store
    private let eraser: ContentEraser
    /// 0: no server-wide retention.
    let serverDays: Int64
    let batch: Int
    static let dayMilliseconds: Int64 = 86_400_000
    static let intervalMilliseconds: Int64 = 3_600_000

    package init(store: any Store, eraser: ContentEraser, environment: [String: String], batch: Int = 500) throws(ConfigurationError) {
        self.store = store
        self.eraser = eraser
        self.batch = batch
        guard let text = environment["PACE_RETENTION_DAYS"] else {
            serverDays = 0
            return
        }
        guard let days = Int64(text), (0...36_500).contains(days) else {
            throw ConfigurationError("PACE_RETENTION_DAYS must be a number of days from 0 (keep forever) to 36500, got '\(text)'")
        }
        serverDays = days
    }

    /// A minute after start, then hourly, on the blocking pool.
    func start(on loop: EventLoop, pool: BlockingPool) {
        PeriodicJob.start(on: loop, pool: pool, firstDelayMilliseconds: 60_000,
                          intervalMilliseconds: Self.intervalMilliseconds) { [self] in
            run(now: Clock.wallMilliseconds())
        }
    }

    /// Erases, batch by batch, every message past its retention as of `now` (wall
    /// milliseconds, a parameter so tests move the clock); returns how many. Blocks on the
    /// store: pool threads and tests only.
    @discardableResult
    package func run(now: Int64, pauseMicroseconds: UInt32 = 2_000) -> Int {
        var erased = 0
        do {
            while true {
                let (count, files) = try store.writeNow { [self] db throws(StoreError) in try eraseBatch(db, now: now) }
                erased += count
                for sha256 in Set(files) { _ = eraser.erase(sha256) }
                if count < batch { break }
                usleep(pauseMicroseconds)
            }
        } catch {
            Log.error("retention job failed", ["error": "\(error)"])
        }
        if erased > 0 { Log.info("retention job", ["erased": String(erased)]) }
        return erased
    }

    private func eraseBatch(_ db: any StoreTransaction, now: Int64) throws(StoreError) -> (Int, [String]) {
        // The effective days: the conversation's when set and shorter than the server's (or the
        // server keeps forever), else the server's; 0 keeps forever.
        let ids = try db.query("""
            SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.deleted = 0 AND m.created_at < CAST(?1 AS BIGINT) - CAST(?3 AS BIGINT) * (
                CASE WHEN c.retention_days IS NOT NULL AND (CAST(?2 AS BIGINT) = 0 OR c.retention_days < CAST(?2 AS BIGINT))
                     THEN c.retention_days ELSE CAST(?2 AS BIGINT) END)
              AND (c.retention_days IS NOT NULL OR CAST(?2 AS BIGINT) > 0)
            ORDER BY m.id LIMIT ?4
            """, [.integer(now), .integer(serverDays), .integer(Self.dayMilliseconds), .integer(Int64(batch))]) {
            $0.int64(0)
        }
        var files: [String] = []
        for id in ids {
            let version = try db.nextSequence()
            try UnreadCounters.messageDeleting(db, messageID: id)
            try db.run("UPDATE messages SET body = '', deleted = 1, version = ?1 WHERE id = ?2",
                       [.integer(version), .integer(id)])
            try db.run("DELETE FROM message_ciphertexts WHERE message_id = ?1", [.integer(id)])
            files += try UploadQueries.detach(messageID: id, in: db)
        }
        return (ids.count, files)
    }
}

/// `PUT /api/v1/conversations/{id}/retention` `{days}`: 1 to 36500, or null to follow the
/// server alone. A group's owner or admins set it; in a direct conversation either member.
enum RetentionRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.put, "/api/v1/conversations/{id}/retention", bodyLimit: 1024, .authenticated(context) { request, reply, caller in
            guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            guard var body = reply.jsonObject(of: request) else { return }
            // `days` must be present, as null or a number: an empty object is a mistake, not "no retention".
            if body["days"] == nil { body.addProblem("days", "is required (null for none)") }
            let days = body.int("days")
            if let days, !(1...36_500).contains(days) { body.addProblem("days", "must be from 1 to 36500, or null") }
            guard body.problems.isEmpty else { return reply.error(.validation(body.problems)) }
            context.writeAnswer(reply, { db throws(StoreError) -> Result<Int64?, APIError> in
                guard let membership = try Membership.find(db, conversationID: conversationID, userID: caller.id) else {
                    return .failure(.notFound)
                }
                guard membership.type == .direct || membership.role.manages else {
                    return .failure(.forbidden("Only the owner or an admin may set the retention."))
                }
                try db.run("UPDATE conversations SET retention_days = ?1 WHERE id = ?2",
                           [days.map { .integer($0) } ?? .null, .integer(conversationID)])
                return .success(days)
            }, success: { days in
                reply.json { writer in
                    writer.beginObject()
                    writer.key("retention_days")
                    if let days { writer.int(days) } else { writer.null() }
                    writer.endObject()
                }
            })
        })
    }
}
