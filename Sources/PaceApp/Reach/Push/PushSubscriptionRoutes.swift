import PaceAddress
import PaceCrypto
import PaceJSON
import PaceServer
import PaceStore

/// `GET /api/v1/push/vapid-public-key` (the key browsers subscribe with) and the caller's own
/// subscriptions: `POST /api/v1/me/push-subscriptions` takes `PushSubscription.toJSON()` as
/// the browser gives it, `GET` lists them, `DELETE ?endpoint=` or `DELETE …/{id}` removes one.
enum PushSubscriptionRoutes {
    static func register(in router: inout Router, context: AppContext, publicKey: String, allowPrivate: Bool) {
        router.add(.get, "/api/v1/push/vapid-public-key", .service { _, reply in
            reply.json { json in
                json.beginObject()
                json.key("public_key"); json.string(publicKey)
                json.endObject()
            }
        })
        router.add(.post, "/api/v1/me/push-subscriptions", bodyLimit: 8192, .authenticated(context) { request, reply, caller in
            subscribe(context, request, reply, callerID: caller.id, allowPrivate: allowPrivate)
        })
        router.add(.get, "/api/v1/me/push-subscriptions", .authenticated(context) { _, reply, caller in
            context.readAnswer(reply, { db throws(StoreError) in
                .success(try PushSubscriptionQueries.list(db, userID: caller.id))
            }) { subscriptions in
                reply.json { json in
                    json.beginObject()
                    json.key("subscriptions")
                    json.beginArray()
                    for subscription in subscriptions { write(subscription, to: &json) }
                    json.endArray()
                    json.endObject()
                }
            }
        })
        router.add(.delete, "/api/v1/me/push-subscriptions", .authenticated(context) { request, reply, caller in
            guard let endpoint = request.queryValue("endpoint"), !endpoint.isEmpty else {
                return reply.error(.validation("endpoint", JSONObjectReader.isRequired))
            }
            context.writeAnswer(reply, { db throws(StoreError) in
                try PushSubscriptionQueries.delete(db, userID: caller.id, endpoint: endpoint) ? .success(()) : .failure(.notFound)
            }) { _ in reply.noContent() }
        })
        router.add(.delete, "/api/v1/me/push-subscriptions/{id}", .authenticated(context) { request, reply, caller in
            guard let id = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            context.writeAnswer(reply, { db throws(StoreError) in
                try PushSubscriptionQueries.delete(db, userID: caller.id, id: id) ? .success(()) : .failure(.notFound)
            }) { _ in reply.noContent() }
        })
    }

    private static func subscribe(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64,
                                  allowPrivate: Bool) {
        guard var reader = reply.jsonObject(of: request) else { return }
        let endpoint = reader.string("endpoint", required: true)
        if let endpoint, let problem = endpointProblem(endpoint, allowPrivate: allowPrivate) {
            reader.addProblem("endpoint", problem)
        }
        var p256dh: [UInt8]?
        var auth: [UInt8]?
        if let keys = reader["keys"], var keyReader = JSONObjectReader(keys) {
            p256dh = key(&keyReader, "p256dh", length: P256PublicKey.length)
            auth = key(&keyReader, "auth", length: WebPushEncryption.authSecretLength)
            if let point = p256dh, P256PublicKey(uncompressed: point) == nil {
                keyReader.addProblem("p256dh", "must be an uncompressed point on P-256")
                p256dh = nil
            }
            for problem in keyReader.problems { reader.addProblem("keys." + problem.field, problem.problem) }
        } else {
            reader.addProblem("keys", "must be an object holding p256dh and auth")
        }
        guard reader.problems.isEmpty, let endpoint, let p256dh, let auth else {
            return reply.error(.validation(reader.problems))
        }
        let now = context.now()
        context.writeAnswer(reply, { db throws(StoreError) in
            .success(try PushSubscriptionQueries.upsert(db, userID: callerID, endpoint: endpoint, p256dh: Base64.url.encode(p256dh),
                                                        auth: Base64.url.encode(auth), now: now))
        }) { stored in
            reply.json(stored.created ? 201 : 200) { json in write(stored.0, to: &json) }
        }
    }

    /// Why `text` cannot be a push endpoint, or nil when it can: an absolute `https` URL (plain
    /// `http` only with private addresses allowed, for loopback tests) whose host, when it is an
    /// address literal, passes the SSRF policy. Names are checked again when resolved at send time.
    static func endpointProblem(_ text: String, allowPrivate: Bool) -> String? {
        guard let url = OutboundURL(text) else { return "must be an absolute https URL" }
        guard url.isTLS || allowPrivate else { return "must be an https URL" }
        if let literal = IPAddress(url.host), !OutboundAddressPolicy.permits(literal, allowPrivate: allowPrivate) {
            return "must not point at a private, loopback or metadata address"
        }
        return nil
    }

    /// A base64url key of exactly `length` bytes (padding tolerated).
    private static func key(_ reader: inout JSONObjectReader, _ name: String, length: Int) -> [UInt8]? {
        guard let text = reader.string(name, required: true) else { return nil }
        let trimmed = text.hasSuffix("=") ? String(text.prefix { $0 != "=" }) : text
        guard let bytes = Base64.url.decode(trimmed), bytes.count == length else {
            reader.addProblem(name, "must be \(length) bytes, base64url")
            return nil
        }
        return bytes
    }

    private static func write(_ subscription: PushSubscriptionRecord, to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(String(subscription.id))
        json.key("endpoint"); json.string(subscription.endpoint)
        json.key("created_at"); json.timestamp(milliseconds: subscription.createdAt)
        json.endObject()
    }
}
