import PaceJSON
import Testing

@Suite("Conversations: list, show, unread counts and read markers")
struct ConversationListTests {
    @Test func listIsOrderedByLatestActivityWithLastMessage() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let older = try app.direct(ann, bob)
        let newer = try app.group(ann, [cat])
        var list = try app.call("GET", "/api/v1/conversations", token: ann.token)
        #expect(list.status == 200)
        #expect(list.body["conversations"]?.ids == [newer, older])
        let last = try app.send(bob, older, "bump")
        list = try app.call("GET", "/api/v1/conversations", token: ann.token)
        #expect(list.body["conversations"]?.ids == [older, newer])
        #expect(list.body["conversations"]?[0]?["last_message"] == last)
        #expect(list.body["conversations"]?[1]?["last_message"] == .null)
        #expect(list.body["conversations"]?[1]?["title"]?.stringValue == "Team")
        let catList = try app.call("GET", "/api/v1/conversations", token: cat.token)
        #expect(catList.body["conversations"]?.ids == [newer])
    }

    @Test func unreadCountsExcludeOwnAndDeletedMessagesAndReadMarkersOnlyMoveForward() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let first = try #require(try app.send(bob, chat, "one")["id"]?.stringValue)
        try app.send(ann, chat, "mine")
        let third = try #require(try app.send(bob, chat, "two")["id"]?.stringValue)
        let fourth = try #require(try app.send(bob, chat, "three")["id"]?.stringValue)
        #expect(try unread(app, ann) == 3)
        #expect(try unread(app, bob) == 1)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(chat)/messages/\(fourth)", token: bob.token).status == 204)
        #expect(try unread(app, ann) == 2)
        #expect(try read(app, ann, chat, third) == 204)
        #expect(try unread(app, ann) == 0)
        #expect(try read(app, ann, chat, first) == 204)
        #expect(try unread(app, ann) == 0, "the marker does not move back")
        try app.send(bob, chat, "four")
        #expect(try unread(app, ann) == 1)
        let show = try app.call("GET", "/api/v1/conversations/\(chat)", token: ann.token)
        #expect(show.body["unread_count"]?.int64Value == 1)
    }

    @Test func readMarkersAreValidated() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let chat = try app.direct(ann, bob), other = try app.direct(ann, eve)
        let elsewhere = try #require(try app.send(eve, other, "x")["id"]?.stringValue)
        let foreign = try app.call("POST", "/api/v1/conversations/\(chat)/read", json: #"{"message_id":"\#(elsewhere)"}"#,
                                   token: ann.token)
        #expect(foreign.status == 422)
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/read", json: "{}", token: ann.token).status == 422)
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/read", json: #"{"message_id":"x"}"#,
                             token: ann.token).status == 422)
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/read", json: #"{"message_id":"\#(elsewhere)"}"#,
                             token: eve.token).status == 404)
    }

    @Test func showHasTheLatestMessagesAscending() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        for index in 0..<55 { try app.send(ann, chat, "m\(index)") }
        let show = try app.call("GET", "/api/v1/conversations/\(chat)", token: bob.token)
        #expect(show.status == 200)
        #expect(show.body["id"]?.stringValue == chat)
        let bodies = (show.body["messages"]?.arrayValue ?? []).compactMap { $0["body"]?.stringValue }
        #expect(bodies.count == 50)
        #expect(bodies.first == "m5")
        #expect(bodies.last == "m54")
        #expect(show.body["last_message"]?["body"]?.stringValue == "m54")
        #expect(show.body["unread_count"]?.int64Value == 55)
    }

    private func unread(_ app: TestApp, _ user: TestUser) throws -> Int64? {
        try app.call("GET", "/api/v1/conversations", token: user.token).body["conversations"]?[0]?["unread_count"]?.int64Value
    }

    private func read(_ app: TestApp, _ user: TestUser, _ chat: String, _ message: String) throws -> Int {
        try app.call("POST", "/api/v1/conversations/\(chat)/read", json: #"{"message_id":"\#(message)"}"#, token: user.token).status
    }
}
