import PaceStore

/// `PUT /api/v1/admin/users/{id}/mute` `{duration_seconds}`, `DELETE` of the same path, and
/// `GET /api/v1/admin/mutes`.
enum ServerMuteRoutes {
    static func register(in router: inout Router, context: AppContext, statistics: AdminStatistics) {
        router.add(.put, "/api/v1/admin/users/{id}/mute", bodyLimit: 1024, .authenticated(context) { request, reply, user in
            guard let target = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            guard var body = reply.jsonObject(of: request) else { return }
            let seconds = body.int("duration_seconds")
            if seconds == nil { body.addProblem("duration_seconds", "is required") }
            if let seconds, !ServerMutes.durationSeconds.contains(seconds) {
                body.addProblem("duration_seconds", "must be from 60 to 31536000")
            }
            guard body.problems.isEmpty, let seconds else { return reply.error(.validation(body.problems)) }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try ServerMutes.set(target, seconds: seconds, by: caller, in: db)
            }, success: { mute in reply.json { writer in mute?.write(to: &writer) } })
        })
        router.add(.delete, "/api/v1/admin/users/{id}/mute", .authenticated(context) { request, reply, user in
            guard let target = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try ServerMutes.set(target, seconds: nil, by: caller, in: db)
            }, success: { _ in reply.noContent() })
        })
        router.add(.get, "/api/v1/admin/mutes", .authenticated(context) { request, reply, user in
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            // A write: a refused attempt appends its audit entry.
            context.writeAnswer(reply, { db throws(StoreError) in
                try ServerMutes.list(by: caller, in: db)
            }, success: { mutes in
                reply.json { writer in
                    writer.beginObject()
                    writer.key("mutes")
                    writer.beginArray()
                    for mute in mutes { mute.write(to: &writer) }
                    writer.endArray()
                    writer.endObject()
                }
            })
        })
    }
}
