import PaceApp
import PaceJSON
import Testing

@Suite("Search")
struct SearchTests {
    private func query(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if unreserved { out.append(Character(Unicode.Scalar(byte))) } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    @Test func searchFindsOnlyTheCallersConversationsNewestFirst() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let chat = try app.direct(ann, bob), group = try app.group(ann, [bob]), secret = try app.direct(bob, eve)
        let first = try app.send(ann, chat, "the quick brown fox")
        let second = try app.send(bob, group, "a Quick reply about the fox")
        try app.send(eve, secret, "quick fox in a private chat")
        try app.send(ann, chat, "nothing to see")
        let deleted = try app.send(ann, chat, "quick fox deleted")
        #expect(try app.call("DELETE", "/api/v1/conversations/\(chat)/messages/\(deleted["id"]?.stringValue ?? "")",
                             token: ann.token).status == 204)
        let found = try app.call("GET", "/api/v1/search/messages?q=quick%20fox", token: ann.token)
        #expect(found.status == 200)
        #expect(found.body["messages"]?.ids == [second["id"]?.stringValue, first["id"]?.stringValue].compactMap { $0 })
        let scoped = try app.call("GET", "/api/v1/search/messages?q=fox&conversation_id=\(chat)", token: ann.token)
        #expect(scoped.body["messages"]?.ids == [first["id"]?.stringValue ?? ""])
        let limited = try app.call("GET", "/api/v1/search/messages?q=fox&limit=1", token: ann.token)
        #expect(limited.body["messages"]?.ids == [second["id"]?.stringValue ?? ""])
        #expect(try app.call("GET", "/api/v1/search/messages?q=fox&conversation_id=\(secret)", token: ann.token).status == 404)
        let edited = try app.call("PATCH", "/api/v1/conversations/\(chat)/messages/\(first["id"]?.stringValue ?? "")",
                                  json: #"{"body":"a slow turtle"}"#, token: ann.token)
        #expect(edited.status == 200)
        #expect(try app.call("GET", "/api/v1/search/messages?q=turtle", token: ann.token).body["messages"]?.ids
                == [first["id"]?.stringValue ?? ""])
        #expect(try app.call("GET", "/api/v1/search/messages?q=brown", token: ann.token).body["messages"]?.ids == [])
    }

    @Test(arguments: ["\"", "*", "NEAR(", "NEAR(a b", "a AND", "AND", "OR b", "NOT", "-x", "\"unbalanced", "a\"b\"c",
                      "body:fox", ":", "(", ")", "^", "fox*", "{body}: x", "'", "\\", "🦊",
                      String(repeating: "quick ", count: 80), String(repeating: "x", count: 500)])
    func hostileQueriesNeverFail(text: String) throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        try app.send(ann, chat, "quick fox AND friends -x NEAR the \"quoted\" body:fox")
        let answer = try app.call("GET", "/api/v1/search/messages?q=\(query(text))", token: ann.token)
        #expect(answer.status == 200)
        #expect(answer.body["messages"]?.arrayValue != nil)
    }

    @Test func aQueryThatIsNotTextIs400() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        #expect(try app.call("GET", "/api/v1/search/messages?q=%00", token: ann.token).status == 400)
        #expect(try app.call("GET", "/api/v1/search/messages?q=%FF", token: ann.token).status == 400)
    }

    @Test func operatorsAreSearchedAsWords() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let sent = try app.send(ann, chat, "cats AND dogs")
        try app.send(ann, chat, "cats only")
        let found = try app.call("GET", "/api/v1/search/messages?q=\(query("AND dogs"))", token: ann.token)
        #expect(found.body["messages"]?.ids == [sent["id"]?.stringValue ?? ""])
    }

    @Test(arguments: ["", "?q=", "?q=%20%20", "?q=\(String(repeating: "x", count: 501))", "?q=x&limit=0", "?q=x&limit=101"])
    func badQueriesAre422(suffix: String) throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let answer = try app.call("GET", "/api/v1/search/messages\(suffix)", token: ann.token)
        #expect(answer.status == 422)
    }

    @Test func theMatchExpressionQuotesEveryTerm() {
        #expect(SearchQuery.match(#"a "b" NEAR(c*"#) == #""a" """b""" "NEAR(c*""#)
        #expect(SearchQuery.match("  \n ") == nil)
    }
}
