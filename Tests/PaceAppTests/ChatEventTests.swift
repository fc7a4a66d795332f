import PaceApp
import PaceJSON
import Testing

@Suite("Events published after each change")
struct ChatEventTests {
    /// A compact, comparable description of an event, with its JSON payload parsed.
    private func describe(_ event: ChatEvent) throws -> (String, JSONValue) {
        switch event {
        case .messageCreated(let conversation, _, let seq, let sender, let message):
            return ("created c\(conversation) s\(seq) u\(sender)", try JSONParser.parse(message))
        case .messageUpdated(let conversation, let version, let message):
            return ("updated c\(conversation) v\(version)", try JSONParser.parse(message))
        case .messageDeleted(let conversation, let version, let message):
            return ("deleted c\(conversation) v\(version)", try JSONParser.parse(message))
        case .reaction(let conversation, let messageID, let emoji, let user, let added, let version, let message):
            return ("reaction c\(conversation) m\(messageID) \(emoji) u\(user) \(added) v\(version)", try JSONParser.parse(message))
        case .read(let conversation, let user, let messageID, let seq):
            return ("read c\(conversation) u\(user) m\(messageID) s\(seq)", .null)
        case .conversationUpdated(let conversation, let members, let removed, let json):
            return ("conversation c\(conversation) \(members.sorted()) -\(removed)", try JSONParser.parse(json))
        case .encryptedMessageCreated(let conversation, _, let seq, let sender, let message, let ciphertexts):
            return ("encrypted c\(conversation) s\(seq) u\(sender) d\(ciphertexts.map(\.deviceID))", try JSONParser.parse(message))
        case .keysChanged(let user, let change):
            return ("keys u\(user)", try JSONParser.parse(change))
        case .keysLow(let devices):
            return ("low \(devices.map(\.deviceID))", .null)
        }
    }

    @Test func everyChangePublishesOneEventInOrderCarryingTheAnsweredJSON() throws {
        let app = try TestApp()
        let recorder = EventRecorder(app)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let group = try app.group(ann, [bob])
        let c = group
        let sent = try app.send(bob, group, "hello")
        let id = try #require(sent["id"]?.stringValue)
        let seq = try #require(sent["seq"]?.int64Value)
        let path = "/api/v1/conversations/\(group)/messages/\(id)"
        let edited = try app.call("PATCH", path, json: #"{"body":"hello!"}"#, token: bob.token).body
        #expect(try app.call("PUT", path + "/reactions/:ok:", token: ann.token).status == 204)
        #expect(try app.call("PUT", path + "/reactions/:ok:", token: ann.token).status == 204)
        #expect(try app.call("POST", "/api/v1/conversations/\(group)/read", json: #"{"message_id":"\#(id)"}"#,
                             token: ann.token).status == 204)
        #expect(try app.call("POST", "/api/v1/conversations/\(group)/read", json: #"{"message_id":"\#(id)"}"#,
                             token: ann.token).status == 204)
        #expect(try app.call("DELETE", path + "/reactions/:ok:", token: ann.token).status == 204)
        #expect(try app.call("DELETE", path, token: bob.token).status == 204)
        #expect(try app.call("PATCH", "/api/v1/conversations/\(group)", json: #"{"title":"New"}"#, token: ann.token).status == 200)
        try app.add(cat, to: group, by: ann)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(group)/members/\(bob.id)", token: bob.token).status == 204)
        // A repeated send publishes nothing.
        let again = try app.send(ann, group, "x", clientID: "k")
        #expect(try app.call("POST", "/api/v1/conversations/\(group)/messages", json: #"{"body":"x","client_id":"k"}"#,
                             token: ann.token).status == 200)

        let events = try recorder.all.map(describe)
        let versions = events.compactMap { $0.1["version"]?.int64Value }
        #expect(versions == versions.sorted(), "message versions grow in publishing order")
        let names = events.map(\.0)
        let (a, b, k) = (ann.id, bob.id, cat.id)
        let v = events.map { $0.1["version"]?.int64Value ?? 0 }
        #expect(names == [
            "conversation c\(c) \([a, b].sorted()) -[]",
            "created c\(c) s\(seq) u\(b)",
            "updated c\(c) v\(v[2])",
            "reaction c\(c) m\(id) :ok: u\(a) true v\(v[3])",
            "read c\(c) u\(a) m\(id) s\(seq)",
            "reaction c\(c) m\(id) :ok: u\(a) false v\(v[5])",
            "deleted c\(c) v\(v[6])",
            "conversation c\(c) \([a, b].sorted()) -[]",
            "conversation c\(c) \([a, b, k].sorted()) -[]",
            "conversation c\(c) \([a, k].sorted()) -[\(b)]",
            "created c\(c) s\(again["seq"]?.int64Value ?? 0) u\(a)",
        ])
        #expect(events[1].1 == sent, "the event carries the bytes the sender was answered with")
        #expect(events[2].1 == edited)
        #expect(events[3].1["reactions"]?[0]?["count"]?.int64Value == 1)
        #expect(events[6].1["deleted"] == .bool(true))
        #expect(events[7].1["title"]?.stringValue == "New")
        #expect(events[7].1["unread_count"] == nil, "shared conversation JSON has no per-caller fields")
    }

    @Test func directGetOrCreatePublishesOnlyOnCreation() throws {
        let app = try TestApp()
        let recorder = EventRecorder(app)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        _ = try app.direct(ann, bob)
        _ = try app.direct(bob, ann)
        #expect(recorder.all.count == 1)
    }

    @Test func refusedRequestsPublishNothing() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let chat = try app.direct(ann, bob)
        let recorder = EventRecorder(app)
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/messages", json: #"{"body":"x"}"#, token: eve.token).status == 404)
        #expect(try app.call("POST", "/api/v1/conversations/\(chat)/messages", json: #"{"body":""}"#, token: ann.token).status == 422)
        #expect(recorder.all.isEmpty)
    }
}
