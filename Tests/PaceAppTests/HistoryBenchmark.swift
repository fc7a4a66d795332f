#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import PaceTestSupport
import Testing

/// History pages and conversation lists over 1,000,000 messages in 10,000 conversations, timed
/// at the handler: on a store reader thread, membership check + SQL + JSON encoding, as the
/// routes do it. Skipped unless PACE_BENCH=1 (see bench/history/run.sh); run it in release mode.
/// With PACE_BENCH_DIR the seeded data directory is kept there, with a token and a
/// conversation id for the HTTP part of the benchmark.
@Suite(.serialized, .enabled(if: getenv("PACE_BENCH").map { String(cString: $0) } == "1"))
struct HistoryBenchmark {
    static let messages = 1_000_000
    static let conversations = 10_000
    static let users = 2_000
    /// User 1 is a member of the first 500 conversations, with every message unread (the
    /// costliest list: each conversation counts its 100 unread messages from others).
    static let busyConversations = 500

    @Test func historyPagesAndConversationLists() throws {
        let kept = getenv("PACE_BENCH_DIR").map { String(cString: $0) }
        let directory = try kept ?? TemporaryDirectory.make()
        defer { if kept == nil { TemporaryDirectory.remove(directory) } }
        let server = try ChatServer(configuration: try .loopback(directory: directory))
        defer { server.shutdown() }
        let store = server.context.store

        let seeding = ContinuousClock.now
        try store.writeNow { db throws(StoreError) in try Self.seed(db) }
        print("history bench: seeded \(Self.messages) messages in \(Self.conversations) conversations in "
              + "\(ContinuousClock.now - seeding)")

        var random = SystemRandomNumberGenerator()
        let pages = try Self.time(2_000) { () throws(StoreError) in
            let conversation = Int64.random(in: 1...Int64(Self.conversations), using: &random)
            let before: Int64? = Bool.random(using: &random) ? Int64.random(in: 1...Int64(Self.messages), using: &random) : nil
            return try Self.onReader(store) { db throws(StoreError) in
                guard try Membership.find(db, conversationID: conversation, userID: Self.firstMember(conversation)) != nil else {
                    return 0
                }
                let page = try MessageQueries.page(db, conversationID: conversation, PageRequest(before: before))
                var writer = JSONWriter(capacity: 16 * 1024)
                MessageEncoder.writeArray(page.messages, into: &writer)
                return writer.bytes.count
            }
        }
        print("history bench: history page (50, latest or before a random seq): \(pages)")
        let lists = try Self.time(200) { () throws(StoreError) in
            try Self.onReader(store) { db throws(StoreError) in
                let views = try ConversationQueries.list(db, userID: 1)
                var writer = JSONWriter(capacity: 256 * 1024)
                for view in views { ConversationEncoder.write(view, into: &writer) }
                return views.count
            }
        }
        print("history bench: conversation list of a user in \(Self.busyConversations) conversations: \(lists)")
        #expect(try store.readNow { db throws(StoreError) in try ConversationQueries.list(db, userID: 1).count }
                == Self.busyConversations)
        if let kept { try Self.writeHTTPFixture(server, kept) }
    }

    /// Bulk inserts with recursive CTEs. The sequence row is set to the last seq; the search
    /// index is marked up to date without indexing (search is not measured here).
    private static func seed(_ db: any StoreTransaction) throws(StoreError) {
        try db.run("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
            INSERT INTO users (id, username, display_name, password_hash, created_at)
            SELECT i, 'user' || i, 'User ' || i, 'x', 1700000000000 FROM n
            """, [.integer(Int64(users))])
        try db.run("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
            INSERT INTO conversations (id, type, title, owner_id, created_at, last_activity_seq)
            SELECT i, 'group', 'Group ' || i, (i % (?2 - 1)) + 2, 1700000000000, ?3 - ?1 + i FROM n
            """, [.integer(Int64(conversations)), .integer(Int64(users)), .integer(Int64(messages))])
        try db.run("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
            INSERT OR IGNORE INTO members (conversation_id, user_id, role, joined_at)
            SELECT i, (i % (?2 - 1)) + 2, 'owner', 1700000000000 FROM n
            UNION ALL SELECT i, ((i * 7 + 3) % (?2 - 1)) + 2, 'member', 1700000000001 FROM n
            UNION ALL SELECT i, 1, 'member', 1700000000002 FROM n WHERE i <= ?3
            """, [.integer(Int64(conversations)), .integer(Int64(users)), .integer(Int64(busyConversations))])
        try db.run("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
            INSERT INTO messages (id, seq, conversation_id, sender_id, body, created_at, version)
            SELECT i, i, c, CASE WHEN i % 2 = 0 THEN (c % (?3 - 1)) + 2 ELSE ((c * 7 + 3) % (?3 - 1)) + 2 END,
                   'benchmark message ' || i || ' with a few ordinary words in it', 1700000000000 + i, i
            FROM (SELECT i, ((i - 1) % ?2) + 1 AS c FROM n)
            """, [.integer(Int64(messages)), .integer(Int64(conversations)), .integer(Int64(users))])
        try db.run("UPDATE sequence SET value = ?1 WHERE id = 1", [.integer(Int64(messages))])
        try db.run("UPDATE messages_fts_state SET indexed_seq = ?1 WHERE id = 1", [.integer(Int64(messages))])
    }

    /// The owner of `conversation`; users 2... own the conversations, user 1 only joins.
    static func firstMember(_ conversation: Int64) -> Int64 { conversation % Int64(users - 1) + 2 }

    /// Runs `work` on a store reader thread, like a route, and waits for it.
    private static func onReader(_ store: any Store, _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> Int) throws(StoreError) -> Int {
        let done = PaceSystem.ConditionLock()
        nonisolated(unsafe) var outcome: Result<Int, StoreError>?
        store.read(work) { result in
            done.withLock { outcome = result }
            done.signal()
        }
        return try done.withLock { () -> Result<Int, StoreError> in
            while true {
                if let outcome { return outcome }
                done.wait()
            }
        }.get()
    }

    /// Runs `body` `count` times after a short warm-up; returns p50/p99/max.
    private static func time(_ count: Int, _ body: () throws(StoreError) -> Int) throws(StoreError) -> String {
        for _ in 0..<(count / 10) { _ = try body() }
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = ContinuousClock.now
            _ = try body()
            samples.append(ContinuousClock.now - start)
        }
        samples.sort()
        func ms(_ duration: Duration) -> String {
            let value = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
            return String(Int(value * 1000)) + " µs"
        }
        return "p50 \(ms(samples[count / 2])), p99 \(ms(samples[count * 99 / 100])), max \(ms(samples[count - 1])) "
            + "(\(count) runs)"
    }

    /// `token` (user 1, valid for an hour) and `conversation` (one of user 1's) for wrk.
    private static func writeHTTPFixture(_ server: ChatServer, _ directory: String) throws {
        let now = Clock.wallMilliseconds() / 1000
        let token = server.context.authenticator.codec.sign(AccessClaims(
            subject: 1, issuedAt: now, expiresAt: now + 3600, tokenID: "bench", family: "bench"))
        for (name, text) in [("token", token), ("conversation", "1")] {
            let fd = open(directory + "/bench." + name, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }
}
