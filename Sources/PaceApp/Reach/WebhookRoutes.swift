import PaceAddress
import PaceCrypto
import PaceJSON
import PaceServer
import PaceStore

/// Admin endpoints of outgoing webhooks: register (`POST`, answers the secret once), list,
/// delete, and a webhook's delivery log. Only server admins (`users.role = 'admin'`).
/// Registering and deleting are audited (`webhook.create`, `webhook.delete`), refusals too.
enum WebhookRoutes {
    /// The audit record of a privileged webhook change.
    private struct Audit: Sendable {
        let caller: AdminCaller
        let action: String
        let target: Int64?

        func record(allowed: Bool, target: Int64? = nil, in db: any StoreTransaction) throws(StoreError) {
            try caller.record(AuditEntry(actorID: caller.id, action: action, targetType: "webhook", targetID: target ?? self.target,
                                         allowed: allowed, detail: allowed ? "" : "forbidden", client: caller.client,
                                         createdAt: caller.now), in: db)
        }
    }

    static func register(in router: inout Router, context: AppContext, configuration: ReachConfiguration, statistics: AdminStatistics) {
        router.add(.post, "/api/v1/admin/webhooks", bodyLimit: 8192, .authenticated(context) { request, reply, caller in
            let audit = Audit(caller: AdminCaller(id: caller.id, client: request.client, now: context.now(), statistics: statistics),
                              action: "webhook.create", target: nil)
            create(context, request, reply, audit: audit, configuration: configuration)
        })
        router.add(.get, "/api/v1/admin/webhooks", .authenticated(context) { _, reply, caller in
            asAdmin(context, reply, caller.id) { db throws(StoreError) in .success(try WebhookQueries.list(db)) } success: { hooks in
                reply.json { json in
                    json.beginObject()
                    json.key("webhooks")
                    json.beginArray()
                    for hook in hooks { write(hook, secret: nil, to: &json) }
                    json.endArray()
                    json.endObject()
                }
            }
        })
        router.add(.delete, "/api/v1/admin/webhooks/{id}", .authenticated(context) { request, reply, caller in
            guard let id = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let audit = Audit(caller: AdminCaller(id: caller.id, client: request.client, now: context.now(), statistics: statistics),
                              action: "webhook.delete", target: id)
            asAdmin(context, reply, caller.id, write: true, audit: audit) { db throws(StoreError) -> Result<Void, APIError> in
                guard try WebhookQueries.delete(db, id: id) else { return .failure(.notFound) }
                try audit.record(allowed: true, in: db)
                return .success(())
            } success: { _ in reply.noContent() }
        })
        router.add(.get, "/api/v1/admin/webhooks/{id}/deliveries", .authenticated(context) { request, reply, caller in
            guard let id = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            asAdmin(context, reply, caller.id) { db throws(StoreError) in
                guard try WebhookQueries.exists(db, id: id) else { return .failure(.notFound) }
                return .success(try WebhookQueries.deliveries(db, webhookID: id, limit: 100))
            } success: { deliveries in
                reply.json { json in writeLog(deliveries, to: &json) }
            }
        })
    }

    /// Runs `work` for an admin caller only (403 otherwise), on the writer when it writes; a
    /// refused change is audited when `audit` says what it was.
    private static func asAdmin<T: Sendable>(_ context: AppContext, _ reply: Reply, _ callerID: Int64, write: Bool = false,
                                             audit: Audit? = nil,
                                             _ work: @escaping StoreWork<T>, success: @escaping @Sendable (T) -> Void) {
        let guarded: StoreWork<T> = { db throws(StoreError) in
            guard try WebhookQueries.isAdmin(db, userID: callerID) else {
                try audit?.record(allowed: false, in: db)
                return .failure(.forbidden("Only an administrator may manage webhooks."))
            }
            return try work(db)
        }
        if write { context.writeAnswer(reply, guarded, success: success) } else { context.readAnswer(reply, guarded, success: success) }
    }

    private static func create(_ context: AppContext, _ request: AppRequest, _ reply: Reply, audit: Audit,
                               configuration: ReachConfiguration) {
        let callerID = audit.caller.id
        guard var reader = reply.jsonObject(of: request) else { return }
        let urlText = reader.string("url", required: true)
        let events = reader.stringArray("events", required: true)
        if let urlText {
            if let url = OutboundURL(urlText) {
                if let literal = IPAddress(url.host),
                   !OutboundAddressPolicy.permits(literal, allowPrivate: configuration.allowPrivate) {
                    reader.addProblem("url", "must not point at a private, loopback or metadata address")
                } else if !url.isTLS && !configuration.allowPlainHTTP && !url.isLoopbackHost {
                    reader.addProblem("url", "must use https (plain http only to loopback, or with PACE_OUTBOUND_ALLOW_HTTP=1)")
                }
            } else {
                reader.addProblem("url", "must be an absolute https or http URL")
            }
        }
        if let events, events.isEmpty || !events.allSatisfy(WebhookQueries.eventNames.contains) {
            reader.addProblem("events", "must list one or more of " + WebhookQueries.eventNames.joined(separator: ", "))
        }
        let problems = reader.problems
        let secret = Hex.encode(SecureRandom.bytes(32))
        let unique = (events ?? []).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let now = context.now()
        // A non-admin hears 403 whatever the body holds: the check comes before validation.
        asAdmin(context, reply, callerID, write: true, audit: audit) { db throws(StoreError) -> Result<WebhookRecord, APIError> in
            guard problems.isEmpty, let urlText else { return .failure(.validation(problems)) }
            let hook = try WebhookQueries.create(db, url: urlText, events: unique, secret: secret, createdBy: callerID, now: now)
            try audit.record(allowed: true, target: hook.id, in: db)
            return .success(hook)
        } success: { hook in
            reply.json(201) { json in write(hook, secret: secret, to: &json) }
        }
    }

    private static func write(_ hook: WebhookRecord, secret: String?, to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(String(hook.id))
        json.key("url"); json.string(hook.url)
        json.key("events")
        json.beginArray()
        for event in hook.events { json.string(event) }
        json.endArray()
        json.key("enabled"); json.bool(hook.enabled)
        json.key("consecutive_failures"); json.int(hook.failures)
        json.key("created_at"); json.timestamp(milliseconds: hook.createdAt)
        if let secret { json.key("secret"); json.string(secret) }
        json.endObject()
    }

    private static func writeLog(_ deliveries: [DeliveryRecord], to json: inout JSONWriter) {
        json.beginObject()
        json.key("deliveries")
        json.beginArray()
        for delivery in deliveries {
            json.beginObject()
            json.key("id"); json.string(String(delivery.id))
            json.key("event"); json.string(delivery.event)
            json.key("state"); json.string(delivery.state)
            json.key("attempts"); json.int(delivery.attempts)
            json.key("last_status"); json.intOrNull(delivery.lastStatus)
            json.key("last_error"); json.stringOrNull(delivery.lastError)
            json.key("created_at"); json.timestamp(milliseconds: delivery.createdAt)
            json.key("next_attempt_at")
            if delivery.state == "pending" { json.timestamp(milliseconds: delivery.nextAttemptAt) } else { json.null() }
            json.key("finished_at"); json.timestampOrNull(milliseconds: delivery.finishedAt)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}
