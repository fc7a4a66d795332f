import PaceJSON
import PaceStore

/// Filing reports (any member of the message's conversation) and working through them
/// (server moderators and admins, audited).
enum ReportRoutes {
    static func register(in router: inout Router, context: AppContext, statistics: AdminStatistics) {
        router.add(.post, "/api/v1/conversations/{id}/messages/{mid}/reports", bodyLimit: 4096,
                   .authenticated(context) { request, reply, user in
            guard let conversation = ResourceID.parse(request.parameters[0]),
                  let message = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
            guard let reason = text(request, reply, "reason", required: true) else { return }
            let now = context.now()
            context.writeAnswer(reply, { db throws(StoreError) in
                try Reports.file(messageID: message, conversationID: conversation, reason: reason, reporterID: user.id,
                                 now: now, in: db)
            }, success: { report in
                statistics.reportsFiled.add(1, ordering: .relaxed)
                reply.json(201) { report.write(to: &$0) }
            })
        })
        router.add(.get, "/api/v1/admin/reports", .authenticated(context) { request, reply, user in
            let status = request.queryValue("status") ?? "open"
            guard ["open", "resolved", "dismissed"].contains(status) else {
                return reply.error(.validation("status", "must be open, resolved or dismissed"))
            }
            guard let page = AuditPageRequest(request, reply) else { return }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try Reports.list(status: status, after: page.before ?? 0, limit: page.limit, by: caller, in: db)
            }, success: { reports in
                reply.json { writer in
                    writer.beginObject()
                    writer.key("reports")
                    writer.beginArray()
                    for report in reports.prefix(page.limit) { report.write(to: &writer) }
                    writer.endArray()
                    writer.key("next_cursor")
                    writer.stringOrNull(reports.count > page.limit ? String(reports[page.limit - 1].id) : nil)
                    writer.endObject()
                }
            })
        })
        router.add(.post, "/api/v1/admin/reports/{id}/close", bodyLimit: 4096, .authenticated(context) { request, reply, user in
            guard let id = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            guard var body = reply.jsonObject(of: request) else { return }
            let status = body.string("status", required: true)
            let note = body.string("note") ?? ""
            if let status, status != "resolved" && status != "dismissed" { body.addProblem("status", "must be resolved or dismissed") }
            if note.count > 500 { body.addProblem("note", "must be at most 500 characters") }
            guard let status, body.problems.isEmpty else { return reply.error(.validation(body.problems)) }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try Reports.close(id, as: status, note: note, by: caller, in: db)
            }, success: { report in
                statistics.reportsClosed.add(1, ordering: .relaxed)
                reply.json { report.write(to: &$0) }
            })
        })
    }

    /// The body's string `field`, 1 to 500 characters after trimming, or nil after a 4xx.
    private static func text(_ request: AppRequest, _ reply: Reply, _ field: String, required: Bool) -> String? {
        guard var body = reply.jsonObject(of: request) else { return nil }
        guard let raw = body.string(field, required: required) else {
            reply.error(.validation(body.problems))
            return nil
        }
        let trimmed = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        // The limit is on what was sent, in code points as JSON Schema counts them; collapsing
        // spaces must not let a longer reason through.
        guard Reports.reasonLength.contains(raw.unicodeScalars.count), !trimmed.isEmpty else {
            reply.error(.validation(field, "must be 1 to 500 characters"))
            return nil
        }
        return trimmed
    }
}
