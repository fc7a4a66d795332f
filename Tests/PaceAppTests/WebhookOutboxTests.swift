#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import Testing

/// The webhook outbox on either store: rows written with the change, filtered by event, their
/// failures recorded with a retry time, and the admin routes around them.
struct WebhookOutboxTests {
    /// Nothing listens on port 1, so every attempt fails fast and is rescheduled.
    private static let deadURL = "http://127.0.0.1:1/hook"

    private func outbox(_ app: TestApp) throws -> [(event: String, payload: JSONValue, state: String, attempts: Int64)] {
        let rows = try app.server.context.store.readNow { db throws(StoreError) in
            try db.query("SELECT event, payload, state, attempts FROM webhook_deliveries ORDER BY id", []) { row in
                (row.string(0), row.string(1), row.string(2), row.int64(3))
            }
        }
        return try rows.map { (event: $0.0, payload: try JSONParser.parse(Array($0.1.utf8)), state: $0.2, attempts: $0.3) }
    }

    private func register(_ app: TestApp, _ admin: TestUser, events: String) throws -> String {
        let created = try app.call("POST", "/api/v1/admin/webhooks",
                                   json: #"{"url":"\#(Self.deadURL)","events":\#(events)}"#, token: admin.token)
        #expect(created.status == 201)
        #expect(created.body["secret"]?.stringValue?.utf8.count == 64)
        return try #require(created.body["id"]?.stringValue)
    }

    @Test func messagesAndJoinsAreWrittenToTheOutboxWithTheChange() throws {
        let app = try TestApp(environment: ["PACE_ALLOW_PRIVATE_WEBHOOKS": "1", "PACE_WEBHOOK_RETRY_BASE_MS": "60000"])
        let admin = try app.makeUser("admin", admin: true)
        let bob = try app.makeUser("bob")
        _ = try register(app, admin, events: #"["message.created"]"#)
        _ = try register(app, admin, events: #"["member.joined"]"#)
        let conversation = try app.group(admin, [bob])
        let message = try app.send(bob, conversation, "hello hooks")
        let rows = try outbox(app)
        #expect(rows.map(\.event).sorted() == ["member.joined", "member.joined", "message.created"])
        let created = try #require(rows.first { $0.event == "message.created" })
        #expect(created.payload["conversation_id"]?.stringValue == conversation)
        #expect(created.payload["message"]?["id"]?.stringValue == message["id"]?.stringValue)
        #expect(created.payload["message"]?["body"]?.stringValue == "hello hooks")
        #expect(created.payload["message"]?["sender_id"]?.stringValue == bob.idString)
    }

    @Test func aFailedAttemptIsLoggedAndRescheduled() throws {
        let app = try TestApp(environment: ["PACE_ALLOW_PRIVATE_WEBHOOKS": "1", "PACE_WEBHOOK_RETRY_BASE_MS": "60000"])
        let admin = try app.makeUser("admin", admin: true)
        let id = try register(app, admin, events: #"["message.created"]"#)
        let conversation = try app.group(admin, [])
        try app.send(admin, conversation, "to nobody")
        let deadline = Clock.monotonicMilliseconds() + 5_000
        var log = JSONValue.null
        while Clock.monotonicMilliseconds() < deadline {
            log = try app.call("GET", "/api/v1/admin/webhooks/\(id)/deliveries", token: admin.token).body
            if log["deliveries"]?.arrayValue?.first?["attempts"]?.int64Value == 1 { break }
            usleep(20_000)
        }
        let entry = try #require(log["deliveries"]?.arrayValue?.first)
        #expect(entry["attempts"]?.int64Value == 1)
        #expect(entry["state"]?.stringValue == "pending")
        #expect(entry["last_error"]?.stringValue == "connectFailed")
        #expect(entry["next_attempt_at"]?.stringValue != nil)
        let listed = try app.call("GET", "/api/v1/admin/webhooks", token: admin.token).body
        #expect(listed["webhooks"]?.arrayValue?.first?["consecutive_failures"]?.int64Value == 1)
        #expect(listed["webhooks"]?.arrayValue?.first?["secret"] == nil)
    }

    @Test func onlyAdminsManageWebhooksAndPrivateURLsNeedTheSwitch() throws {
        let app = try TestApp()
        let admin = try app.makeUser("admin", admin: true)
        let bob = try app.makeUser("bob")
        let body = #"{"url":"http://10.0.0.5/hook","events":["message.created"]}"#
        #expect(try app.call("POST", "/api/v1/admin/webhooks", json: body, token: bob.token).status == 403)
        #expect(try app.call("GET", "/api/v1/admin/webhooks", token: bob.token).status == 403)
        #expect(try app.call("POST", "/api/v1/admin/webhooks", json: body, token: admin.token).status == 422)
        #expect(try app.call("DELETE", "/api/v1/admin/webhooks/99", token: admin.token).status == 404)
        #expect(try app.call("GET", "/api/v1/admin/webhooks/x/deliveries", token: admin.token).status == 404)
        #expect(try outbox(app).isEmpty)
    }

    @Test func plainHTTPIsForLoopbackUnlessAllowed() throws {
        let app = try TestApp()
        let admin = try app.makeUser("admin", admin: true)
        func create(_ url: String, in app: TestApp, as admin: TestUser) throws -> Int {
            try app.call("POST", "/api/v1/admin/webhooks", json: #"{"url":"\#(url)","events":["member.joined"]}"#,
                         token: admin.token).status
        }
        #expect(try create("http://1.1.1.1/hook", in: app, as: admin) == 422)
        #expect(try create("https://1.1.1.1/hook", in: app, as: admin) == 201)
        #expect(try create("https://hooks.example.com/pace", in: app, as: admin) == 201)
        let open = try TestApp(environment: ["PACE_OUTBOUND_ALLOW_HTTP": "1"])
        let openAdmin = try open.makeUser("admin", admin: true)
        #expect(try create("http://1.1.1.1/hook", in: open, as: openAdmin) == 201)
    }

    @Test func pruningKeepsPendingAndRecentDeliveries() throws {
        let app = try TestApp(environment: ["PACE_ALLOW_PRIVATE_WEBHOOKS": "1", "PACE_WEBHOOK_RETRY_BASE_MS": "60000"])
        let admin = try app.makeUser("admin", admin: true)
        _ = try register(app, admin, events: #"["message.created"]"#)
        let conversation = try app.group(admin, [])
        for n in 0..<3 { try app.send(admin, conversation, "m\(n)") }
        let store = app.server.context.store
        try store.writeNow { db throws(StoreError) in
            let ids = try db.query("SELECT id FROM webhook_deliveries ORDER BY id", []) { $0.int64(0) }
            try db.run("UPDATE webhook_deliveries SET state = 'delivered', finished_at = 1000 WHERE id = ?1", [.integer(ids[0])])
            try db.run("UPDATE webhook_deliveries SET state = 'failed', finished_at = 9000 WHERE id = ?1", [.integer(ids[1])])
            try WebhookQueries.prune(db, before: 5000)
        }
        let states = try outbox(app).map(\.state)
        #expect(states.count == 2 && states.contains("failed") && states.contains("pending"))
    }

    @Test func aClaimLeasesDeliveriesUntilItEnds() throws {
        let app = try TestApp(environment: ["PACE_ALLOW_PRIVATE_WEBHOOKS": "1", "PACE_WEBHOOK_RETRY_BASE_MS": "60000"])
        let admin = try app.makeUser("admin", admin: true)
        _ = try register(app, admin, events: #"["message.created"]"#)
        let conversation = try app.group(admin, [])
        for n in 0..<2 { try app.send(admin, conversation, "m\(n)") }
        // A day ahead: whatever the running dispatcher did, both rows are due then.
        let later = Clock.wallMilliseconds() + 86_400_000
        let counts = try app.server.context.store.writeNow { db throws(StoreError) in
            let first = try WebhookQueries.claimDue(db, now: later, leaseUntil: later + 1_000, limit: 10)
            let again = try WebhookQueries.claimDue(db, now: later, leaseUntil: later + 1_000, limit: 10)
            let expired = try WebhookQueries.claimDue(db, now: later + 1_000, leaseUntil: later + 2_000, limit: 1)
            return [first.count, again.count, expired.count, first.first?.url == Self.deadURL ? 1 : 0]
        }
        #expect(counts == [2, 0, 1, 1])
    }
}
