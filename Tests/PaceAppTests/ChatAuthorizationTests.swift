import PaceJSON
import Testing

/// Every chat route: 401 without a valid token, 404 for a non-member (whatever the body), and
/// for unparseable ids.
@Suite("Chat routes: authentication and non-members")
struct ChatAuthorizationTests {
    /// Method, path (with C for the conversation, M for a message, U for a member) and a valid body.
    static let routes: [(String, String, String?)] = [
        ("GET", "/api/v1/conversations/C", nil),
        ("GET", "/conversations/C", nil),
        ("PATCH", "/api/v1/conversations/C", #"{"title":"x"}"#),
        ("POST", "/api/v1/conversations/C/members", #"{"user_id":"U"}"#),
        ("DELETE", "/api/v1/conversations/C/members/U", nil),
        ("GET", "/api/v1/conversations/C/messages", nil),
        ("POST", "/api/v1/conversations/C/messages", #"{"body":"x"}"#),
        ("POST", "/conversations/C/message", #"{"body":"x"}"#),
        ("PATCH", "/api/v1/conversations/C/messages/M", #"{"body":"x"}"#),
        ("DELETE", "/api/v1/conversations/C/messages/M", nil),
        ("PUT", "/api/v1/conversations/C/messages/M/reactions/:ok:", nil),
        ("DELETE", "/api/v1/conversations/C/messages/M/reactions/:ok:", nil),
        ("POST", "/api/v1/conversations/C/read", #"{"message_id":"M"}"#),
    ]

    private func fill(_ text: String, _ conversation: String, _ message: String, _ user: TestUser) -> String {
        text.replacingOccurrences("C", conversation).replacingOccurrences("M", message).replacingOccurrences("U", user.idString)
    }

    @Test func nonMembersGet404EverywhereAndNothingChanges() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let group = try app.group(ann, [bob])
        let message = try #require(try app.send(bob, group, "hi")["id"]?.stringValue)
        let recorder = EventRecorder(app)
        for (method, path, body) in Self.routes {
            let answer = try app.call(method, fill(path, group, message, bob), json: body.map { fill($0, group, message, bob) },
                                      token: eve.token)
            #expect(answer.status == 404, "\(method) \(path)")
            #expect(answer.body["error"]?["code"]?.stringValue == "not_found")
        }
        #expect(recorder.all.isEmpty)
        #expect(try app.call("GET", "/api/v1/conversations", token: eve.token).body["conversations"] == .array([]))
    }

    @Test func aGlobalAdminOutsideAConversationMayOnlyDeleteItsMessages() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), root = try app.makeUser("root", admin: true)
        let group = try app.group(ann, [bob])
        let message = try #require(try app.send(bob, group, "hi")["id"]?.stringValue)
        for (method, path, body) in Self.routes where !(method == "DELETE" && path.hasSuffix("/messages/M")) {
            let answer = try app.call(method, fill(path, group, message, bob), json: body.map { fill($0, group, message, bob) },
                                      token: root.token)
            #expect(answer.status == 404, "\(method) \(path)")
        }
        #expect(try app.call("DELETE", "/api/v1/conversations/\(group)/messages/\(message)", token: root.token).status == 204)
    }

    @Test func badIDsAre404() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        for id in ["0", "-1", "abc", "1.5", "99999999999999999999", "%20"] {
            for (method, path, body) in Self.routes {
                let answer = try app.call(method, fill(path, id, id, ann), json: body.map { fill($0, "1", "1", ann) },
                                          token: ann.token)
                #expect(answer.status == 404, "\(method) \(path) with \(id)")
            }
        }
    }

    @Test func everyRouteNeedsAValidToken() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let all = Self.routes + [("GET", "/api/v1/conversations", nil), ("POST", "/api/v1/conversations", "{}"),
                                 ("POST", "/conversations", "{}"), ("GET", "/api/v1/search/messages?q=x", nil)]
        for token in [nil, "garbage", ann.token + "x"] as [String?] {
            for (method, path, body) in all {
                let answer = try app.call(method, fill(path, "1", "1", ann), json: body, token: token)
                #expect(answer.status == 401, "\(method) \(path)")
                #expect(answer.body["error"]?["code"]?.stringValue == "unauthorized")
            }
        }
    }
}

private extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
