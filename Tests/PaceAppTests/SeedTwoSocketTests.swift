import PaceJSON
import Testing

@Suite("Seed-002 conversation WebSocket")
struct SeedTwoSocketTests {
    private static func path(_ conversation: String) -> String { "/api/v1/chat/ws/conversations/\(conversation)" }

    @Test func sendsAndReceivesOnlyItsConversationsNewMessages() throws {
        let app = try TestApp(sockets: true)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let other = try app.group(ann, [eve], title: "Other")
        let annSeed = try ChatClient(app, token: nil, headers: [("Authorization", "Bearer \(ann.token)")],
                                     path: Self.path(room))
        #expect(annSeed.status == 101)
        let bobSeed = try ChatClient(app, token: bob.token, path: Self.path(room))
        #expect(bobSeed.status == 101)
        let bobLive = try ChatClient(app, token: bob.token)
        _ = bobLive.next("hello")

        annSeed.send(#"{"type":"message.send","content":"hello from seed 2"}"#)
        for client in [annSeed, bobSeed] {
            let frame = try #require(client.next("message.new"))
            #expect(frame["message"]?["body"]?.stringValue == "hello from seed 2")
            #expect(frame["message"]?["conversation_id"]?.stringValue == room)
            #expect(frame["message"]?["sender_id"]?.stringValue == ann.idString)
        }
        // The ordinary socket of a member hears it like any message.
        #expect(bobLive.next("message.new")?["message"]?["body"]?.stringValue == "hello from seed 2")

        // Another conversation's message, typing and a reaction do not reach the seed-002 socket.
        try app.send(ann, other, "elsewhere")
        bobLive.send(#"{"type":"typing","conversation_id":"\#(room)","state":"start"}"#)
        let first = try app.send(bob, room, "over REST")
        let reacted = try app.call("PUT", "/api/v1/conversations/\(room)/messages/\(first["id"]?.stringValue ?? "")/reactions/%F0%9F%91%8D",
                                   token: bob.token)
        #expect(reacted.status == 200 || reacted.status == 201 || reacted.status == 204)
        try app.send(bob, room, "last")
        #expect(annSeed.next("message.new")?["message"]?["body"]?.stringValue == "over REST")
        #expect(annSeed.next("message.new")?["message"]?["body"]?.stringValue == "last")
        #expect(annSeed.received.map(\.type) == ["message.new", "message.new", "message.new"])
        // The stored message is the one the REST compatibility route lists.
        let listed = try app.call("GET", "/api/v1/chat/conversations/\(room)/messages", token: ann.token)
        #expect(listed.body.arrayValue?.compactMap { $0["body"]?.stringValue } == ["hello from seed 2", "over REST", "last"])
    }

    @Test func membershipAndTokenAreCheckedBeforeTheUpgrade() throws {
        let app = try TestApp(sockets: true)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        #expect(try ChatClient(app, token: nil, path: Self.path(room)).status == 401)
        #expect(try ChatClient(app, token: "not-a-token", path: Self.path(room)).status == 401)
        #expect(try ChatClient(app, token: eve.token, path: Self.path(room)).status == 404)
        #expect(try ChatClient(app, token: ann.token, path: Self.path("999999")).status == 404)
        #expect(try ChatClient(app, token: ann.token, path: Self.path("abc")).status == 404)
        #expect(try ChatClient(app, token: ann.token, headers: [("Origin", "https://evil.example")],
                               path: Self.path(room)).status == 403)
    }

    @Test func badFramesGetErrorFramesAndTheSocketStaysOpen() throws {
        let app = try TestApp(sockets: true)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob])
        let client = try ChatClient(app, token: ann.token, path: Self.path(room))
        let cases: [(String, String)] = [
            ("not json", "invalid_json"),
            (#"{"content":"x"}"#, "validation_failed"),
            (#"{"type":"typing","content":"x"}"#, "unknown_type"),
            (#"{"type":"message.send"}"#, "validation_failed"),
            (#"{"type":"message.send","content":42}"#, "validation_failed"),
            (#"{"type":"message.send","content":""}"#, "validation_failed"),
        ]
        for (frame, code) in cases {
            client.send(frame)
            #expect(client.next("error")?["error"]?["code"]?.stringValue == code, "\(frame)")
        }
        client.socket.send(opcode: 2, payload: [1, 2, 3])
        #expect(client.next("error")?["error"]?["code"]?.stringValue == "unsupported_frame")
        client.send(#"{"type":"message.send","content":"still here"}"#)
        #expect(client.next("message.new")?["message"]?["body"]?.stringValue == "still here")
        // Invalid UTF-8 in a text frame ends the connection with 1007.
        client.socket.send(opcode: 1, payload: [0x7B, 0xFF, 0x7D])
        #expect(client.waitForClose() == 1007)
    }

    @Test func aMemberRemovedAfterTheUpgradeNoLongerHearsOrPosts() throws {
        let app = try TestApp(sockets: true)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        let bobSeed = try ChatClient(app, token: bob.token, path: Self.path(room))
        let catSeed = try ChatClient(app, token: cat.token, path: Self.path(room))
        let removed = try app.call("DELETE", "/api/v1/conversations/\(room)/members/\(bob.id)", token: ann.token)
        #expect(removed.status == 204)
        try app.send(ann, room, "after removal")
        #expect(catSeed.next("message.new")?["message"]?["body"]?.stringValue == "after removal")
        #expect(!bobSeed.receives("message.new", within: 300))
        bobSeed.send(#"{"type":"message.send","content":"let me in"}"#)
        #expect(bobSeed.next("error")?["error"]?["code"]?.stringValue == "not_found")
    }
}
