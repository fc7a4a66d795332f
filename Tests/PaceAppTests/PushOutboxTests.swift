import PaceApp
import PaceCrypto
import PaceJSON
import PaceStore
import PaceSystem
import Testing

/// Web Push subscriptions and the push outbox on either store (`make test-pg` runs these on
/// PostgreSQL): who is owed a push, collapsing per conversation, claims and outcomes. The
/// dispatcher is kept out of the way with a window of ten minutes; the tests expand by hand.
struct PushOutboxTests {
    private static let environment = ["PACE_ALLOW_PRIVATE_WEBHOOKS": "1", "PACE_PUSH_DELAY_MS": "600000"]

    private func subscribe(_ app: TestApp, _ user: TestUser, _ name: String) throws -> (status: Int, body: JSONValue) {
        let key = Base64.url.encode(P256PrivateKey().publicKey)
        let auth = Base64.url.encode(SecureRandom.bytes(16))
        return try app.call("POST", "/api/v1/me/push-subscriptions", json: """
            {"endpoint":"http://127.0.0.1:1/push/\(name)","expirationTime":null,"keys":{"p256dh":"\(key)","auth":"\(auth)"}}
            """, token: user.token)
    }

    private func owed(_ app: TestApp) throws -> [(endpoint: String, payload: JSONValue, collapsed: Int64, urgency: String)] {
        let rows = try app.server.context.store.readNow { db throws(StoreError) in
            try db.query("""
                SELECT s.endpoint, d.payload, d.collapsed, d.urgency FROM push_deliveries d
                JOIN push_subscriptions s ON s.id = d.subscription_id ORDER BY s.endpoint
                """, []) { ($0.string(0), $0.string(1), $0.int64(2), $0.string(3)) }
        }
        return try rows.map { (endpoint: $0.0, payload: try JSONParser.parse(Array($0.1.utf8)), collapsed: $0.2, urgency: $0.3) }
    }

    /// Expands every message waiting, with `online` as the users holding a socket.
    @discardableResult
    private func expand(_ app: TestApp, online: Set<Int64> = [], preview: PushConfiguration.Preview = .full,
                        budget: Int = 1000) throws -> Int {
        var configuration = PushConfiguration()
        configuration.preview = preview
        let expansion = PushExpansion(configuration: configuration, isConnected: { online.contains($0) })
        let later = Clock.wallMilliseconds() + 86_400_000
        return try app.server.context.store.writeNow { db throws(StoreError) in
            try PushOutboxQueries.expandDue(db, before: later, budget: budget) { db, id, after, limit throws(StoreError) in
                try expansion.expand(db, messageID: id, after: after, limit: limit, now: later)
            }.owed
        }
    }

    @Test func subscriptionsAreValidatedListedMovedAndDeleted() throws {
        let app = try TestApp(environment: Self.environment)
        let bob = try app.makeUser("bob")
        let carol = try app.makeUser("carol")
        let key = try app.call("GET", "/api/v1/push/vapid-public-key")
        #expect(key.status == 200)
        #expect(Base64.url.decode(key.body["public_key"]?.stringValue ?? "")?.count == 65)
        let first = try subscribe(app, bob, "a")
        #expect(first.status == 201)
        #expect(try subscribe(app, bob, "b").status == 201)
        #expect(try app.call("GET", "/api/v1/me/push-subscriptions", token: bob.token).body["subscriptions"]?.arrayValue?.count == 2)
        // The same browser subscribing under another account moves to it.
        #expect(try subscribe(app, carol, "a").status == 201)
        let bobs = try app.call("GET", "/api/v1/me/push-subscriptions", token: bob.token).body["subscriptions"]?.arrayValue
        #expect(bobs?.map { $0["endpoint"]?.stringValue } == ["http://127.0.0.1:1/push/b"])
        let id = try #require(bobs?.first?["id"]?.stringValue)
        #expect(try app.call("DELETE", "/api/v1/me/push-subscriptions/\(id)", token: carol.token).status == 404)
        #expect(try app.call("DELETE", "/api/v1/me/push-subscriptions/\(id)", token: bob.token).status == 204)
        #expect(try app.call("DELETE", "/api/v1/me/push-subscriptions?endpoint=http%3A%2F%2F127.0.0.1%3A1%2Fpush%2Fa",
                             token: carol.token).status == 204)
        #expect(try app.call("DELETE", "/api/v1/me/push-subscriptions", token: carol.token).status == 422)
        let bad = try app.call("POST", "/api/v1/me/push-subscriptions",
                               json: #"{"endpoint":"https://x.example/p","keys":{"p256dh":"BAAA","auth":"AAAA"}}"#, token: bob.token)
        #expect(bad.status == 422)
        let fields = bad.body["error"]?["details"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(fields == ["keys.p256dh", "keys.auth"])
    }

    @Test func offlineMembersAllowedByTheirLevelAreOwedOnePushPerSubscription() throws {
        let app = try TestApp(environment: Self.environment)
        let alice = try app.makeUser("alice")
        let bob = try app.makeUser("bob")
        let carol = try app.makeUser("carol")
        let dave = try app.makeUser("dave")
        let erin = try app.makeUser("erin")
        for (user, name) in [(alice, "alice"), (bob, "bob1"), (bob, "bob2"), (carol, "carol"), (dave, "dave"), (erin, "erin")] {
            #expect(try subscribe(app, user, name).status == 201)
        }
        let conversation = try app.group(alice, [bob, carol, dave, erin], title: "ops")
        #expect(try app.call("PUT", "/api/v1/conversations/\(conversation)/notifications", json: #"{"level":"mentions"}"#,
                             token: carol.token).status / 100 == 2)
        #expect(try app.call("PUT", "/api/v1/conversations/\(conversation)/notifications", json: #"{"level":"none"}"#,
                             token: dave.token).status / 100 == 2)
        try app.send(alice, conversation, "plain news")
        #expect(try expand(app, online: [erin.id]) == 2)
        let plain = try owed(app)
        #expect(plain.map(\.endpoint) == ["http://127.0.0.1:1/push/bob1", "http://127.0.0.1:1/push/bob2"])
        let payload = try #require(plain.first?.payload)
        #expect(payload["conversation_id"]?.stringValue == conversation)
        #expect(payload["conversation_title"]?.stringValue == "ops")
        #expect(payload["sender"]?["username"]?.stringValue == "alice")
        #expect(payload["preview"]?.stringValue == "plain news" && payload["mentioned"]?.boolValue == false)
        #expect(plain.first?.urgency == "normal")
        try app.send(alice, conversation, "@carol and @dave, look")
        #expect(try expand(app) == 4)
        let after = try owed(app)
        // Bob's pushes collapsed (two messages, the newest shown); Carol's mention is urgent; Dave hears nothing.
        #expect(after.map(\.endpoint) == ["http://127.0.0.1:1/push/bob1", "http://127.0.0.1:1/push/bob2",
                                          "http://127.0.0.1:1/push/carol", "http://127.0.0.1:1/push/erin"])
        #expect(after[0].collapsed == 2 && after[0].payload["preview"]?.stringValue == "@carol and @dave, look")
        #expect(after[2].urgency == "high" && after[2].payload["mentioned"]?.boolValue == true)
    }

    @Test func previewsCanBeTurnedOffAndMutedMembersWait() throws {
        let app = try TestApp(environment: Self.environment)
        let alice = try app.makeUser("alice")
        let bob = try app.makeUser("bob")
        let carol = try app.makeUser("carol")
        _ = try subscribe(app, bob, "bob")
        _ = try subscribe(app, carol, "carol")
        let conversation = try app.direct(alice, bob)
        try app.send(alice, conversation, "the secret plan")
        let group = try app.group(alice, [carol])
        #expect(try app.call("PUT", "/api/v1/conversations/\(group)/notifications",
                             json: #"{"level":"all","muted_until":"2999-01-01T00:00:00Z"}"#, token: carol.token).status / 100 == 2)
        try app.send(alice, group, "muted")
        #expect(try expand(app, preview: .none) == 1)
        let rows = try owed(app)
        #expect(rows.count == 1 && rows[0].payload["preview"] == JSONValue.null)
        #expect(rows[0].urgency == "high")
        #expect(rows[0].payload["sender"]?["username"]?.stringValue == "alice")
    }

    @Test func claimsLeaseAndAPushThatCollapsedMidFlightIsOwedAgain() throws {
        let app = try TestApp(environment: Self.environment)
        let alice = try app.makeUser("alice")
        let bob = try app.makeUser("bob")
        _ = try subscribe(app, bob, "bob")
        let conversation = try app.group(alice, [bob])
        try app.send(alice, conversation, "one")
        try expand(app)
        let store = app.server.context.store
        let later = Clock.wallMilliseconds() + 86_400_000
        let claimed = try store.writeNow { db throws(StoreError) in
            (try PushOutboxQueries.claimDue(db, now: later, leaseUntil: later + 1_000, limit: 10),
             try PushOutboxQueries.claimDue(db, now: later, leaseUntil: later + 1_000, limit: 10).count)
        }
        #expect(claimed.0.count == 1 && claimed.1 == 0)
        let push = try #require(claimed.0.first)
        #expect(push.endpoint == "http://127.0.0.1:1/push/bob" && push.collapsed == 1)
        // A second message arrives while the first push is in flight.
        try app.send(alice, conversation, "two")
        try expand(app)
        let remaining = try store.writeNow { db throws(StoreError) in
            try PushOutboxQueries.finish(db, push, now: later)
            return try PushOutboxQueries.claimDue(db, now: later, leaseUntil: later + 1_000, limit: 10)
        }
        #expect(remaining.count == 1 && remaining.first?.collapsed == 1)
        #expect(try JSONParser.parse(Array((remaining.first?.payload ?? "").utf8))["preview"]?.stringValue == "two")
        let left = try store.writeNow { db throws(StoreError) in
            try PushOutboxQueries.retry(db, remaining[0], nextAttempt: later + 5_000)
            let early = try PushOutboxQueries.claimDue(db, now: later + 4_000, leaseUntil: later + 9_000, limit: 10).count
            let due = try PushOutboxQueries.claimDue(db, now: later + 5_000, leaseUntil: later + 9_000, limit: 10)
            try PushOutboxQueries.finish(db, due[0], now: later)
            return [early, due.count, due[0].attempts == 1 ? 1 : 0]
        }
        #expect(left == [0, 1, 1])
        #expect(try owed(app).isEmpty)
    }

    @Test func aLargeMessageIsExpandedInStepsThatResume() throws {
        let app = try TestApp(environment: Self.environment)
        let alice = try app.makeUser("alice")
        var members: [TestUser] = []
        for n in 0..<5 {
            let user = try app.makeUser("user\(n)")
            #expect(try subscribe(app, user, "u\(n)").status == 201)
            members.append(user)
        }
        let conversation = try app.group(alice, members)
        try app.send(alice, conversation, "to all five")
        let later = Clock.wallMilliseconds() + 86_400_000
        let online = members[1].id
        let expansion = PushExpansion(configuration: PushConfiguration(), isConnected: { $0 == online })
        var steps: [String] = []
        for _ in 0..<4 {
            let step = try app.server.context.store.writeNow { db throws(StoreError) in
                try PushOutboxQueries.expandDue(db, before: later, budget: 2) { db, id, after, limit throws(StoreError) in
                    try expansion.expand(db, messageID: id, after: after, limit: limit, now: later)
                }
            }
            steps.append("\(step.owed)\(step.more ? "+" : ".")")
        }
        // Two members per step in user-id order: alice (the sender) and user0, user1 (online)
        // and user2, then user3 and user4; the fourth step finds no one left and finishes.
        #expect(steps == ["1+", "1+", "2+", "0."])
        #expect(try owed(app).count == 4)
    }

    @Test func aMemberWhoBlockedTheSenderIsNotPushed() throws {
        let app = try TestApp(environment: Self.environment)
        let alice = try app.makeUser("alice")
        let bob = try app.makeUser("bob")
        let carol = try app.makeUser("carol")
        #expect(try subscribe(app, bob, "bob").status == 201)
        #expect(try subscribe(app, carol, "carol").status == 201)
        let conversation = try app.group(alice, [bob, carol])
        #expect(try app.call("PUT", "/api/v1/me/blocks/\(alice.id)", token: bob.token).status == 204)
        try app.send(alice, conversation, "bob blocked me")
        try expand(app)
        #expect(try owed(app).map(\.endpoint) == ["http://127.0.0.1:1/push/carol"])
    }

    @Test func nothingIsWrittenWhileNobodySubscribes() throws {
        let app = try TestApp(environment: Self.environment)
        let alice = try app.makeUser("alice")
        let bob = try app.makeUser("bob")
        let conversation = try app.group(alice, [bob])
        try app.send(alice, conversation, "quiet")
        let waiting = try app.server.context.store.readNow { db throws(StoreError) in
            try db.queryFirst("SELECT count(*) FROM push_messages", []) { $0.int64(0) }
        }
        #expect(waiting == 0)
    }
}
