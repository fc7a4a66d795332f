import PaceJSON
import PaceStore

/// `/api/v1/admin/…`: role changes, deactivation and the audit log. Every route checks the
/// caller's role in the store (AccountAdministration); a signed-in caller without it gets 403
/// `admin_required`, and the attempt is audited.
enum AdminRoutes {
    static func register(in router: inout Router, context: AppContext, hub: Hub, statistics: AdminStatistics) {
        router.add(.put, "/api/v1/admin/users/{id}/role", bodyLimit: 4096, .authenticated(context) { request, reply, user in
            guard let target = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            guard let role = parseRole(request, reply) else { return }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try AccountAdministration.setRole(role, of: target, by: caller, in: db)
            }, success: { changed in reply.json { context.write(changed, to: &$0) } })
        })
        router.add(.post, "/api/v1/admin/users/{id}/deactivate", .authenticated(context) { request, reply, user in
            guard let target = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try AccountAdministration.deactivate(target, by: caller, in: db)
            }, success: { done in
                // Sockets first, so they close with 4003 rather than the revocation's 4001.
                hub.deactivate(user: target)
                for family in done.families { context.authenticator.revoke(family: family.id) }
                reply.json { context.write(done.user, to: &$0) }
            })
        })
        router.add(.post, "/api/v1/admin/users/{id}/reactivate", .authenticated(context) { request, reply, user in
            guard let target = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try AccountAdministration.reactivate(target, by: caller, in: db)
            }, success: { changed in reply.json { context.write(changed, to: &$0) } })
        })
        router.add(.post, "/api/v1/admin/invites", bodyLimit: 4096, .authenticated(context) { request, reply, user in
            guard let form = parseInvite(request, reply) else { return }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try Invites.issue(uses: form.uses, lifetimeSeconds: form.seconds, by: caller, in: db)
            }, success: { issued in
                reply.json(201) { writer in
                    writer.beginObject()
                    writer.key("code"); writer.string(issued.code)
                    writer.key("uses"); writer.int(issued.uses)
                    writer.key("expires_at"); writer.timestamp(milliseconds: issued.expiresAt)
                    writer.endObject()
                }
            })
        })
        router.add(.get, "/api/v1/admin/audit", .authenticated(context) { request, reply, user in
            guard let page = AuditPageRequest(request, reply) else { return }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            // A write, not a read: a refused attempt appends its audit entry.
            context.writeAnswer(reply, { db throws(StoreError) in
                try AccountAdministration.audit(before: page.before, limit: page.limit, by: caller, in: db)
            }, success: { entries in
                reply.json { writer in
                    writer.beginObject()
                    writer.key("entries")
                    writer.beginArray()
                    for entry in entries.prefix(page.limit) { entry.write(to: &writer) }
                    writer.endArray()
                    writer.key("next_cursor")
                    writer.stringOrNull(entries.count > page.limit ? String(entries[page.limit - 1].id) : nil)
                    writer.endObject()
                }
            })
        })
    }

    /// `{uses?, expires_in?}`: 1 to 1000 uses (default 1), 60 seconds to 30 days (default 7 days).
    private static func parseInvite(_ request: AppRequest, _ reply: Reply) -> (uses: Int64, seconds: Int64)? {
        guard var body = reply.jsonObject(of: request) else { return nil }
        let uses = body.int("uses") ?? 1
        let seconds = body.int("expires_in") ?? Invites.defaultLifetimeSeconds
        if !Invites.uses.contains(Int(clamping: uses)) { body.addProblem("uses", "must be from 1 to 1000") }
        if !Invites.lifetimeSeconds.contains(seconds) { body.addProblem("expires_in", "must be from 60 to 2592000 seconds") }
        guard body.problems.isEmpty else {
            reply.error(.validation(body.problems))
            return nil
        }
        return (uses, seconds)
    }

    /// `{role}`: user, moderator or admin.
    private static func parseRole(_ request: AppRequest, _ reply: Reply) -> ServerRole? {
        guard var body = reply.jsonObject(of: request) else { return nil }
        guard let text = body.string("role", required: true) else {
            reply.error(.validation(body.problems))
            return nil
        }
        guard let role = ServerRole(rawValue: text) else {
            reply.error(.validation("role", "must be user, moderator or admin"))
            return nil
        }
        return role
    }
}

/// `GET /admin/audit?cursor=&limit=`: newest first; `cursor` is the previous page's
/// `next_cursor`, `limit` 1 to 200 (default 50).
struct AuditPageRequest {
    let before: Int64?
    let limit: Int

    init?(_ request: AppRequest, _ reply: Reply) {
        let limitText = request.queryValue("limit")
        guard let limit = limitText.map({ Int($0) }) ?? 50, (1...200).contains(limit) else {
            reply.error(.validation("limit", "must be an integer from 1 to 200"))
            return nil
        }
        var before: Int64?
        if let cursor = request.queryValue("cursor") {
            guard let id = Int64(cursor), id > 0 else {
                reply.error(.validation("cursor", "is not a cursor this endpoint gave"))
                return nil
            }
            before = id
        }
        self.before = before
        self.limit = limit
    }
}
