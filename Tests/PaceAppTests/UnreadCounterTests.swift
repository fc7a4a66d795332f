import PaceJSON
import PaceStore
import Testing

/// Unread counts come from counters (UnreadCounters); after any mix of sends, deletions, read
/// marks, leaving and joining they must equal a count of the messages themselves.
@Suite("Unread counters stay equal to counting the messages")
struct UnreadCounterTests {
    /// The definition: messages above the member's marker that others sent and are not deleted.
    private func counted(_ app: TestApp, _ user: TestUser, _ conversation: String) throws -> Int {
        try app.server.context.store.readNow { db throws(StoreError) in
            try db.queryFirst("""
                SELECT count(*) FROM messages x JOIN members m ON m.conversation_id = x.conversation_id AND m.user_id = ?1
                WHERE x.conversation_id = ?2 AND x.seq > m.last_read_seq AND x.sender_id <> ?1 AND x.deleted = 0
                """, [.integer(user.id), .integer(Int64(conversation) ?? 0)]) { $0.int(0) } ?? -1
        }
    }

    private func listed(_ app: TestApp, _ user: TestUser, _ conversation: String) throws -> Int? {
        let list = try app.call("GET", "/api/v1/conversations", token: user.token)
        let entry = list.body["conversations"]?.arrayValue?.first { $0["id"]?.stringValue == conversation }
        return entry.flatMap { $0["unread"]?.int64Value }.map(Int.init)
    }

    @Test func aRandomMixOfChangesKeepsEveryCountExact() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let users = [ann, bob, cat]
        let room = try app.group(ann, [bob, cat])
        var generator = SplitMix(seed: 17)
        var messages: [(id: String, sender: TestUser)] = []
        var inRoom: Set<Int64> = Set(users.map(\.id))
        for step in 0..<120 {
            let actor = users[Int(generator.next() % 3)]
            let choice = generator.next() % 10
            if !inRoom.contains(actor.id) {
                if choice < 3 { try app.add(actor, to: room, by: ann); inRoom.insert(actor.id) }
                continue
            }
            switch choice {
            case 0..<5:
                let sent = try app.send(actor, room, "message \(step)")
                messages.append((try #require(sent["id"]?.stringValue), actor))
            case 5...6 where !messages.isEmpty:
                let target = messages[Int(generator.next() % UInt64(messages.count))]
                let by = target.sender.id == actor.id || inRoom.contains(target.sender.id) == false ? ann : target.sender
                _ = try app.call("DELETE", "/api/v1/conversations/\(room)/messages/\(target.id)",
                                 token: inRoom.contains(by.id) ? by.token : ann.token)
            case 7...8 where !messages.isEmpty:
                let target = messages[Int(generator.next() % UInt64(messages.count))]
                _ = try app.call("POST", "/api/v1/conversations/\(room)/read", json: #"{"message_id":"\#(target.id)"}"#,
                                 token: actor.token)
            case 9 where actor.id != ann.id:
                #expect(try app.call("DELETE", "/api/v1/conversations/\(room)/members/\(actor.id)", token: actor.token).status == 204)
                inRoom.remove(actor.id)
            default:
                break
            }
            for user in users where inRoom.contains(user.id) {
                let expected = try counted(app, user, room)
                #expect(try listed(app, user, room) == expected, "step \(step), user \(user.id)")
            }
        }
        #expect(messages.count > 30)
    }
}

extension UnreadCounterTests {
    @Test func anAtChannelMessageCountsOnceForEveryOtherMemberAndReachesTheirFeed() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        func mentions(_ user: TestUser) throws -> Int64? {
            let list = try app.call("GET", "/api/v1/conversations", token: user.token)
            return list.body["conversations"]?[0]?["mentions"]?.int64Value
        }
        let both = try app.send(ann, room, "@channel and especially @bob")
        #expect(both["mentions"]?.arrayValue?.compactMap(\.stringValue) == [bob.idString])
        #expect(try mentions(bob) == 1, "named and @channel in one message: one mention")
        #expect(try mentions(cat) == 1)
        #expect(try mentions(ann) == 0, "the sender's own @channel")
        try app.send(bob, room, "@here lunch?")
        #expect(try mentions(ann) == 1)
        #expect(try mentions(bob) == 1)
        #expect(try mentions(cat) == 2)
        let feed = try app.call("GET", "/api/v1/me/mentions", token: cat.token)
        #expect(feed.body["messages"]?.arrayValue?.compactMap { $0["body"]?.stringValue } == ["@here lunch?", "@channel and especially @bob"])
        let own = try app.call("GET", "/api/v1/me/mentions", token: bob.token)
        #expect(own.body["messages"]?.arrayValue?.compactMap { $0["body"]?.stringValue } == ["@channel and especially @bob"])
        let id = try #require(both["id"]?.stringValue)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(room)/messages/\(id)", token: ann.token).status == 204)
        #expect(try mentions(cat) == 1)
        #expect(try mentions(bob) == 0)
    }
}

/// A small deterministic generator, so a failure replays.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
