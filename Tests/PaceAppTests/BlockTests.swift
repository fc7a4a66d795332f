import PaceJSON
import Testing

@Suite("Blocking")
struct BlockTests {
    @Test func aBlockStopsNewDirectConversationsAndDirectMessagesBothWays() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let existing = try app.direct(ann, bob)
        #expect(try app.call("PUT", "/api/v1/me/blocks/\(bob.id)", token: ann.token).status == 204)
        #expect(try app.call("PUT", "/api/v1/me/blocks/\(bob.id)", token: ann.token).status == 204, "idempotent")
        for sender in [ann, bob] {
            let refused = try app.call("POST", "/api/v1/conversations/\(existing)/messages", json: #"{"body":"hi"}"#,
                                       token: sender.token)
            #expect(refused.status == 403)
            #expect(refused.body["error"]?["code"]?.stringValue == "blocked")
        }
        #expect(try app.call("PUT", "/api/v1/me/blocks/\(ann.id)", token: cat.token).status == 204)
        let fresh = try app.call("POST", "/api/v1/conversations", json: #"{"type":"direct","member_ids":["\#(cat.id)"]}"#,
                                 token: ann.token)
        #expect(fresh.status == 403)
        #expect(fresh.body["error"]?["code"]?.stringValue == "blocked")
        let listed = try app.call("GET", "/api/v1/me/blocks", token: ann.token)
        #expect(listed.body["blocks"]?.arrayValue?.compactMap { $0["user_id"]?.stringValue } == [bob.idString])
        #expect(try app.call("DELETE", "/api/v1/me/blocks/\(bob.id)", token: ann.token).status == 204)
        #expect(try app.call("POST", "/api/v1/conversations/\(existing)/messages", json: #"{"body":"hi"}"#,
                             token: bob.token).status == 201)
        #expect(try app.call("PUT", "/api/v1/me/blocks/\(ann.id)", token: ann.token).status == 422)
        #expect(try app.call("PUT", "/api/v1/me/blocks/999999", token: ann.token).status == 404)
    }

    @Test func blockedUsersMessagesAreFlaggedForTheBlockerOnlyInSharedGroups() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        #expect(try app.call("PUT", "/api/v1/me/blocks/\(bob.id)", token: ann.token).status == 204)
        try app.send(bob, room, "from bob")
        try app.send(cat, room, "from cat")
        let annView = try app.call("GET", "/api/v1/conversations/\(room)/messages", token: ann.token)
        #expect(annView.body["messages"]?[0]?["sender_blocked"]?.boolValue == true)
        #expect(annView.body["messages"]?[1]?["sender_blocked"] == nil)
        let shown = try app.call("GET", "/api/v1/conversations/\(room)", token: ann.token)
        #expect(shown.body["messages"]?[0]?["sender_blocked"]?.boolValue == true)
        let catView = try app.call("GET", "/api/v1/conversations/\(room)/messages", token: cat.token)
        #expect(catView.body["messages"]?[0]?["sender_blocked"] == nil)
    }
}
