import PaceApp
import PaceJSON
import Testing

@Suite("Messages: reactions")
struct ReactionTests {
    private func percent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let hex = String(byte, radix: 16, uppercase: true)
            out += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
        return out
    }

    @Test func reactionsAreIdempotentAndEachChangeTakesAVersion() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let message = try app.send(ann, chat, "react to me")
        let path = "/api/v1/conversations/\(chat)/messages/\(message["id"]?.stringValue ?? "")"
        func current() throws -> JSONValue {
            try #require(try app.call("GET", "/api/v1/conversations/\(chat)/messages", token: ann.token).body["messages"]?[0])
        }
        let thumbs = percent("👍")
        #expect(try app.call("PUT", "\(path)/reactions/\(thumbs)", token: bob.token).status == 204)
        let once = try current()
        #expect(try app.call("PUT", "\(path)/reactions/\(thumbs)", token: bob.token).status == 204)
        #expect(try current()["version"] == once["version"], "a repeated PUT changes nothing")
        #expect(try app.call("PUT", "\(path)/reactions/\(thumbs)", token: ann.token).status == 204)
        #expect(try app.call("PUT", "\(path)/reactions/:party_parrot:", token: ann.token).status == 204)
        let both = try current()
        #expect(try #require(both["version"]?.int64Value) > (once["version"]?.int64Value ?? .max))
        let reactions = both["reactions"]?.arrayValue ?? []
        #expect(reactions.count == 2)
        #expect(reactions[0]["emoji"]?.stringValue == "👍")
        #expect(reactions[0]["count"]?.int64Value == 2)
        #expect(reactions[0]["user_ids"] == .array([.string(bob.idString), .string(ann.idString)]))
        #expect(reactions[1]["emoji"]?.stringValue == ":party_parrot:")
        #expect(try app.call("DELETE", "\(path)/reactions/\(thumbs)", token: bob.token).status == 204)
        #expect(try app.call("DELETE", "\(path)/reactions/\(thumbs)", token: bob.token).status == 204)
        let after = try current()
        #expect(after["reactions"]?[0]?["user_ids"] == .array([.string(ann.idString)]))
        #expect(try #require(after["version"]?.int64Value) > (both["version"]?.int64Value ?? .max))
    }

    @Test func atMostTwentyDistinctEmojiPerMessage() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let path = "/api/v1/conversations/\(chat)/messages/\(try app.send(ann, chat, "x")["id"]?.stringValue ?? "")"
        for index in 0..<20 {
            #expect(try app.call("PUT", "\(path)/reactions/:e\(index):", token: ann.token).status == 204)
        }
        let beyond = try app.call("PUT", "\(path)/reactions/:e20:", token: ann.token)
        #expect(beyond.status == 422)
        #expect(beyond.body["error"]?["details"]?[0]?["field"]?.stringValue == "emoji")
        #expect(try app.call("PUT", "\(path)/reactions/:e3:", token: bob.token).status == 204, "an existing emoji")
    }

    @Test(arguments: ["👍", "👍🏽", "❤️", "🇫🇷", "👨‍👩‍👧", "1️⃣", ":+1:", ":a-b_c:"])
    func validEmoji(emoji: String) {
        #expect(ReactionEmoji.isValid(emoji))
    }

    @Test(arguments: ["", "a", "1", "©", "👍👍", "👍a", ":a:", "::", ":Caps:", ":has space:", ":x",
                      ":\(String(repeating: "a", count: 33)):", "<script>"])
    func invalidEmoji(emoji: String) {
        #expect(!ReactionEmoji.isValid(emoji))
    }

    @Test func badEmojiInThePathIs422AndForeignMessagesAre404() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let chat = try app.direct(ann, bob), other = try app.direct(ann, eve)
        let id = try app.send(ann, chat, "x")["id"]?.stringValue ?? ""
        #expect(try app.call("PUT", "/api/v1/conversations/\(chat)/messages/\(id)/reactions/abc", token: ann.token).status == 422)
        #expect(try app.call("PUT", "/api/v1/conversations/\(other)/messages/\(id)/reactions/:ok:",
                             token: ann.token).status == 404)
        #expect(try app.call("PUT", "/api/v1/conversations/\(chat)/messages/\(id)/reactions/:ok:",
                             token: eve.token).status == 404)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(chat)/messages/\(id)", token: ann.token).status == 204)
        #expect(try app.call("PUT", "/api/v1/conversations/\(chat)/messages/\(id)/reactions/:ok:",
                             token: bob.token).status == 409)
    }
}
