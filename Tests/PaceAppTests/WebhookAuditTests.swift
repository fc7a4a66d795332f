import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

/// Webhook administration is privileged: registering and deleting, done or refused, is audited.
@Suite("Webhook administration is audited")
struct WebhookAuditTests {
    @Test func createAndDeleteAreAuditedAndRefusalsToo() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann", admin: true), bob = try app.makeUser("bob")
        let hook = #"{"url":"https://hooks.example.com/in","events":["message.created"]}"#
        let created = try app.call("POST", "/api/v1/admin/webhooks", json: hook, token: ann.token)
        #expect(created.status == 201)
        let id = try #require(created.body["id"]?.stringValue)
        #expect(try app.call("POST", "/api/v1/admin/webhooks", json: hook, token: bob.token).status == 403)
        #expect(try app.call("DELETE", "/api/v1/admin/webhooks/\(id)", token: bob.token).status == 403)
        #expect(try app.call("DELETE", "/api/v1/admin/webhooks/\(id)", token: ann.token).status == 204)
        let entries = try app.call("GET", "/api/v1/admin/audit", token: ann.token).body["entries"]?.arrayValue ?? []
        let seen = entries.reversed().map { entry in
            "\(entry["action"]?.stringValue ?? "") \(entry["outcome"]?.stringValue ?? "") \(entry["actor_id"]?.stringValue ?? "")"
        }
        #expect(seen == ["webhook.create allowed \(ann.id)", "webhook.create denied \(bob.id)",
                         "webhook.delete denied \(bob.id)", "webhook.delete allowed \(ann.id)"])
        #expect(entries.allSatisfy { $0["target_type"]?.stringValue == "webhook" })
        #expect(entries.first?["target_id"]?.stringValue == id)
        let metrics = try app.request("GET", "/metrics")
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("pace_audit_entries_allowed_total 2") && text.contains("pace_audit_entries_denied_total 2"))
    }
}
