import PaceJSON
import Testing

@Suite("Mentions: ids on messages, exact counts, the feed, notification levels")
struct MentionTests {
    private func counts(_ app: TestApp, _ user: TestUser, _ conversation: String) throws -> (unread: Int64?, mentions: Int64?) {
        let list = try app.call("GET", "/api/v1/conversations", token: user.token)
        let entry = list.body["conversations"]?.arrayValue?.first { $0["id"]?.stringValue == conversation }
        return (entry?["unread"]?.int64Value, entry?["mentions"]?.int64Value)
    }

    @Test func mentionsAreIdsOfMembersAndCountsFollowEditsDeletesAndReads() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob, cat])
        let first = try app.send(ann, room, "hey @Bob and @eve and @nobody and @ann")
        #expect(first["mentions"]?.arrayValue?.compactMap(\.stringValue) == [bob.idString], "members only, not oneself")
        _ = eve
        let second = try app.send(ann, room, "plain")
        #expect(second["mentions"]?.arrayValue?.isEmpty == true)
        #expect(try counts(app, bob, room).mentions == 1)
        #expect(try counts(app, bob, room).unread == 2)
        #expect(try counts(app, cat, room).mentions == 0)
        let secondID = try #require(second["id"]?.stringValue)
        let edited = try app.call("PATCH", "/api/v1/conversations/\(room)/messages/\(secondID)",
                                  json: #"{"body":"now @cat too"}"#, token: ann.token)
        #expect(edited.body["mentions"]?.arrayValue?.compactMap(\.stringValue) == [cat.idString])
        #expect(try counts(app, cat, room).mentions == 1)
        _ = try app.call("PATCH", "/api/v1/conversations/\(room)/messages/\(secondID)", json: #"{"body":"never mind"}"#,
                         token: ann.token)
        #expect(try counts(app, cat, room).mentions == 0, "an edit that drops a mention drops its count")
        let all = try app.send(ann, room, "@channel lunch")
        #expect(try counts(app, cat, room).mentions == 1)
        #expect(try counts(app, bob, room).mentions == 2)
        let allID = try #require(all["id"]?.stringValue)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(room)/messages/\(allID)", token: ann.token).status == 204)
        #expect(try counts(app, bob, room).mentions == 1, "a deleted message mentions no one")
        #expect(try app.call("POST", "/api/v1/conversations/\(room)/read", json: #"{"message_id":"\#(secondID)"}"#,
                             token: bob.token).status == 204)
        #expect(try counts(app, bob, room).mentions == 0)
        #expect(try counts(app, bob, room).unread == 0)
    }

    @Test func theFeedListsMentionsNewestFirstInPages() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob]), other = try app.group(ann, [bob], title: "Other")
        try app.send(ann, room, "one @bob")
        try app.send(ann, other, "two @bob")
        try app.send(ann, room, "not you")
        try app.send(ann, room, "@here three")
        let page = try app.call("GET", "/api/v1/me/mentions?limit=2", token: bob.token)
        #expect(page.status == 200)
        #expect(page.body["messages"]?.arrayValue?.compactMap { $0["body"]?.stringValue } == ["@here three", "two @bob"])
        let before = try #require(page.body["next_before"]?.int64Value)
        let rest = try app.call("GET", "/api/v1/me/mentions?limit=2&before=\(before)", token: bob.token)
        #expect(rest.body["messages"]?.arrayValue?.compactMap { $0["body"]?.stringValue } == ["one @bob"])
        #expect(rest.body["next_before"]?.isNull == true)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(other)/members/\(bob.id)", token: bob.token).status == 204)
        let afterLeaving = try app.call("GET", "/api/v1/me/mentions", token: bob.token)
        #expect(afterLeaving.body["messages"]?.arrayValue?.count == 2, "conversations left are not listed")
        #expect(try app.call("GET", "/api/v1/me/mentions?limit=0", token: bob.token).status == 422)
    }

    @Test func notificationLevelsAreStoredPerMembership() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let path = "/api/v1/conversations/\(room)/notifications"
        let set = try app.call("PUT", path, json: #"{"level":"mentions","muted_until":"2030-01-01T00:00:00Z"}"#,
                               token: bob.token)
        #expect(set.status == 200)
        #expect(set.body["level"]?.stringValue == "mentions")
        let list = try app.call("GET", "/api/v1/conversations", token: bob.token)
        #expect(list.body["conversations"]?[0]?["notification_level"]?.stringValue == "mentions")
        #expect(list.body["conversations"]?[0]?["notifications_muted_until"]?.stringValue == "2030-01-01T00:00:00.000Z")
        let annList = try app.call("GET", "/api/v1/conversations", token: ann.token)
        #expect(annList.body["conversations"]?[0]?["notification_level"]?.stringValue == "all")
        #expect(try app.call("PUT", path, json: #"{"level":"loud"}"#, token: bob.token).status == 422)
        #expect(try app.call("PUT", path, json: #"{"level":"all","muted_until":"soon"}"#, token: bob.token).status == 422)
        #expect(try app.call("PUT", path, json: #"{"level":"none"}"#, token: eve.token).status == 404)
    }

    @Test func liveAndReplayedMessagesCarryTheirMentions() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob])
        let since = try #require(try app.send(ann, room, "start")["seq"]?.int64Value)
        let live = try ChatClient(app, token: bob.token)
        #expect(live.next("hello") != nil)
        try app.send(ann, room, "ping @bob")
        // "start" itself may still reach the new socket live: the hub fans out after the answer.
        var frame = live.next("message.new")
        if frame?["message"]?["body"]?.stringValue == "start" { frame = live.next("message.new") }
        #expect(frame?["message"]?["mentions"]?[0]?.stringValue == bob.idString)
        let resumed = try ChatClient(app, token: bob.token, query: "since=\(since)")
        #expect(resumed.next("message.new")?["message"]?["mentions"]?[0]?.stringValue == bob.idString)
    }
}
