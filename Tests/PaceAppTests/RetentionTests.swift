import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import PaceTestSupport
import Testing

/// The retention job, run with a clock the test moves forward.
@Suite("Retention: old messages are erased in batches")
struct RetentionTests {
    private static let day: Int64 = 86_400_000

    private func history(_ app: TestApp, _ user: TestUser, _ chat: String) throws -> [(body: String, deleted: Bool)] {
        let page = try app.call("GET", "/api/v1/conversations/\(chat)/messages?after=0&limit=100", token: user.token)
        return (page.body["messages"]?.arrayValue ?? []).map {
            ($0["body"]?.stringValue ?? "", $0["deleted"]?.boolValue ?? false)
        }
    }

    @Test func theServerRetentionErasesOnlyWhatIsOlder() throws {
        let app = try TestApp(environment: ["PACE_RETENTION_DAYS": "30"])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        _ = try app.send(ann, chat, "old")
        let upload = try app.uploadID(Array("attached file".utf8), token: ann.token)
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                             json: #"{"body":"with file","attachment_ids":["\#(upload)"]}"#, token: ann.token).status == 201)
        let now = Clock.wallMilliseconds()
        #expect(app.server.retention.run(now: now + 29 * Self.day) == 0)
        #expect(try history(app, ann, chat).map(\.body) == ["old", "with file"])
        #expect(try app.uploadRows() == 1)
        #expect(app.server.retention.run(now: now + 31 * Self.day) == 2)
        let after = try history(app, ann, chat)
        #expect(after.count == 2 && after.allSatisfy { $0.deleted && $0.body.isEmpty })
        #expect(try app.uploadRows() == 0, "the attachment went with its message")
        #expect(try app.request("GET", "/api/v1/uploads/\(upload)", token: ann.token).status == 404)
        #expect(app.server.retention.run(now: now + 31 * Self.day) == 0, "an erased message is not erased again")
    }

    @Test func aConversationShortensItsOwnRetentionAndBatchesStaySmall() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let short = try app.group(ann, [bob]), kept = try app.direct(ann, cat)
        for index in 0..<5 { _ = try app.send(ann, short, "s\(index)") }
        _ = try app.send(ann, kept, "k")
        let path = "/api/v1/conversations/\(short)/retention"
        #expect(try app.call("PUT", path, json: #"{"days":1}"#, token: bob.token).status == 403, "a plain member")
        #expect(try app.call("PUT", path, json: #"{"days":0}"#, token: ann.token).status == 422)
        #expect(try app.call("PUT", path, json: #"{"days":1}"#, token: ann.token).body["retention_days"]?.int64Value == 1)
        let job = try RetentionJob(store: app.server.context.store, eraser: app.server.uploads.eraser, environment: [:], batch: 2)
        #expect(job.run(now: Clock.wallMilliseconds() + 2 * Self.day, pauseMicroseconds: 0) == 5)
        #expect(try history(app, ann, short).allSatisfy { $0.deleted })
        #expect(try history(app, ann, kept).map(\.body) == ["k"], "no server retention: the other conversation stays")
        #expect(try app.call("PUT", path, json: #"{"days":null}"#, token: ann.token).status == 200)
        #expect(throws: (any Error).self) { try TestApp(environment: ["PACE_RETENTION_DAYS": "-1"]) }
    }
}
