#if canImport(Glibc)
import Glibc
#endif
import PaceJSON
import PaceStore
import PaceSystem
import PaceTestSupport
import Synchronization
import Testing

@Suite("Store busy", .disabled(if: TestDatabase.isPostgres, Comment(rawValue: TestDatabase.sqliteOnly)))
struct StoreBusyTests {
    static let lockMilliseconds: Int64 = 3_000
    static let perSender = 4

    /// Another connection holds the database's write lock for 3 s while ten members of a
    /// 50-member group send (five over WebSocket, five over REST), every member connected.
    /// Nothing is acknowledged before the lock lifts; afterwards every send is acknowledged
    /// (no 5xx, no error frame), stored, and every member's socket gets every message once, in
    /// seq order.
    @Test func sendsWaitForTheLockAndEveryMemberGetsEveryAcknowledgedMessageInOrder() throws {
        let app = try TestApp(sockets: true)
        let users = try (0..<50).map { try app.makeUser("busy\($0)") }
        let room = try app.group(users[0], Array(users.dropFirst()))
        let members = try users.map { try ChatClient(app, token: $0.token) }
        let socketSenders = try users[0..<5].map { try ChatClient(app, token: $0.token) }
        for client in members + socketSenders { try #require(client.next("hello") != nil) }

        let locker = try Database(path: app.directory + "/" + SQLiteStore.fileName)
        try locker.execute("PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE")
        let lockedAt = Clock.monotonicMilliseconds()
        let releasedAt = Atomic<Int64>(.max)

        let restAnswers = Mutex<[(status: Int, seq: Int64?, at: Int64)]>([])
        let port = app.port
        let restSenders = try users[5..<10].map { user in
            try OSThread(name: "busy-rest-\(user.id)") {
                for index in 0..<Self.perSender {
                    let answer = try? httpCall(port: port, "POST", "/api/v1/conversations/\(room)/messages",
                                               json: #"{"body":"rest \#(user.id) \#(index)"}"#, token: user.token)
                    let at = Clock.monotonicMilliseconds()
                    restAnswers.withLock {
                        $0.append((answer?.status ?? 0, answer?.body["seq"]?.int64Value, at))
                    }
                }
            }
        }
        for (sender, client) in socketSenders.enumerated() {
            for index in 0..<Self.perSender {
                client.send(#"{"type":"message.send","ref":"\#(sender)-\#(index)","conversation_id":"\#(room)","body":"ws \#(sender) \#(index)"}"#)
            }
        }
        // While the lock is held nothing is acknowledged and nothing fans out.
        for client in socketSenders { #expect(!client.receives("message.ack", within: 100)) }
        #expect(!members[49].receives("message.new", within: 100))
        #expect(restAnswers.withLock { $0.isEmpty })
        let remaining = Self.lockMilliseconds - (Clock.monotonicMilliseconds() - lockedAt)
        if remaining > 0 { usleep(UInt32(remaining) * 1000) }
        releasedAt.store(Clock.monotonicMilliseconds(), ordering: .relaxed)
        try locker.execute("ROLLBACK")
        locker.close()

        var acknowledged: [Int64] = []
        for client in socketSenders {
            for _ in 0..<Self.perSender {
                let ack = try #require(client.next("message.ack"), "a WebSocket send was not acknowledged")
                acknowledged.append(try #require(ack["message"]?["seq"]?.int64Value))
            }
        }
        for thread in restSenders { thread.join() }
        let answers = restAnswers.withLock { $0 }
        #expect(answers.map(\.status) == Array(repeating: 201, count: 5 * Self.perSender))
        #expect(answers.allSatisfy { $0.at >= releasedAt.load(ordering: .relaxed) })
        acknowledged += answers.compactMap(\.seq)
        let expected = acknowledged.sorted()
        #expect(expected.count == 10 * Self.perSender)
        #expect(Set(expected).count == expected.count)

        for (index, member) in members.enumerated() {
            var seen: [Int64] = []
            while seen.count < expected.count, let frame = member.next("message.new") {
                if let seq = frame["message"]?["seq"]?.int64Value { seen.append(seq) }
            }
            #expect(seen == expected, "member \(index) got \(seen.count) of \(expected.count), or out of order")
        }
        for client in socketSenders + members.prefix(1) { #expect(!client.receives("error", within: 50)) }
        let stored = try app.server.context.store.readNow { db throws(StoreError) in
            try db.query("SELECT seq FROM messages ORDER BY seq") { $0.int64(0) }
        }
        #expect(stored == expected)
    }
}
