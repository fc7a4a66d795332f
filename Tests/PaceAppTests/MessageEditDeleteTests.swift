import PaceJSON
import Testing

@Suite("Messages: edit and delete")
struct MessageEditDeleteTests {
    @Test func onlyTheAuthorEditsAndAnEditTakesANewVersion() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let group = try app.group(ann, [bob])
        let message = try app.send(bob, group, "tyop")
        let id = try #require(message["id"]?.stringValue)
        let path = "/api/v1/conversations/\(group)/messages/\(id)"
        #expect(try app.call("PATCH", path, json: #"{"body":"x"}"#, token: ann.token).status == 403, "not even the owner")
        #expect(try app.call("PATCH", path, json: #"{"body":"x"}"#, token: eve.token).status == 404)
        let edited = try app.call("PATCH", path, json: #"{"body":" typo "}"#, token: bob.token)
        #expect(edited.status == 200)
        #expect(edited.body["body"]?.stringValue == "typo")
        #expect(edited.body["edited_at"]?.stringValue != nil)
        #expect(edited.body["seq"] == message["seq"])
        #expect(try #require(edited.body["version"]?.int64Value) > (message["version"]?.int64Value ?? .max))
        let same = try app.call("PATCH", path, json: #"{"body":"typo"}"#, token: bob.token)
        #expect(same.status == 200)
        #expect(same.body["version"] == edited.body["version"], "an identical body is not a change")
        #expect(try app.call("PATCH", path, json: #"{"body":"  "}"#, token: bob.token).status == 422)
        #expect(try app.call("PATCH", path, json: #"{}"#, token: bob.token).status == 422)
        #expect(try app.call("PATCH", "/api/v1/conversations/\(group)/messages/99999", json: #"{"body":"x"}"#,
                             token: bob.token).status == 404)
    }

    @Test func aMessageWithAttachmentsMayBeEditedToNoBody() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let upload = try app.makeUpload(ann)
        let sent = try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                                json: #"{"body":"look","attachment_ids":["\#(upload)"]}"#, token: ann.token)
        let id = try #require(sent.body["id"]?.stringValue)
        let edited = try app.call("PATCH", "/api/v1/conversations/\(chat)/messages/\(id)", json: #"{"body":""}"#,
                                  token: ann.token)
        #expect(edited.status == 200)
        #expect(edited.body["attachments"]?.arrayValue?.count == 1)
    }

    @Test func deleteMatrix() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), ada = try app.makeUser("ada"), bob = try app.makeUser("bob")
        let cat = try app.makeUser("cat"), eve = try app.makeUser("eve"), root = try app.makeUser("root", admin: true)
        let group = try app.group(ann, [bob, cat])
        try app.add(ada, to: group, as: "admin", by: ann)
        func delete(_ by: TestUser, _ message: JSONValue) throws -> Int {
            let id = message["id"]?.stringValue ?? ""
            return try app.call("DELETE", "/api/v1/conversations/\(group)/messages/\(id)", token: by.token).status
        }
        let bobs = try app.send(bob, group, "one")
        #expect(try delete(cat, bobs) == 403, "a plain member")
        #expect(try delete(eve, bobs) == 404, "a non-member")
        #expect(try delete(bob, bobs) == 204, "the author")
        #expect(try delete(bob, bobs) == 204, "again: nothing changes")
        #expect(try delete(ada, try app.send(bob, group, "two")) == 204, "a group admin")
        #expect(try delete(ann, try app.send(ada, group, "three")) == 204, "the group owner")
        #expect(try delete(root, try app.send(bob, group, "four")) == 204, "a global admin, not even a member")
        let direct = try app.direct(ann, bob)
        let inDirect = try app.send(bob, direct, "private")
        let id = inDirect["id"]?.stringValue ?? ""
        #expect(try app.call("DELETE", "/api/v1/conversations/\(direct)/messages/\(id)", token: ann.token).status == 403)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(direct)/messages/\(id)", token: root.token).status == 204)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(direct)/messages/\(id)", token: eve.token).status == 404)
    }

    @Test func aDeletedMessageLosesBodyAndAttachmentsButKeepsIdAndSeq() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let upload = try app.makeUpload(ann)
        let sent = try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                                json: #"{"body":"secret","attachment_ids":["\#(upload)"]}"#, token: ann.token).body
        let id = try #require(sent["id"]?.stringValue)
        let path = "/api/v1/conversations/\(chat)/messages/\(id)"
        #expect(try app.call("PUT", path + "/reactions/%F0%9F%91%8D", token: bob.token).status == 204)
        #expect(try app.call("DELETE", path, token: ann.token).status == 204)
        let stored = try #require(try app.call("GET", "/api/v1/conversations/\(chat)/messages", token: bob.token)
            .body["messages"]?[0])
        #expect(stored["id"] == sent["id"])
        #expect(stored["seq"] == sent["seq"])
        #expect(stored["deleted"] == .bool(true))
        #expect(stored["body"]?.stringValue == "")
        #expect(stored["attachments"] == .array([]))
        #expect(stored["reactions"]?.arrayValue?.count == 1)
        #expect(try #require(stored["version"]?.int64Value) > (sent["version"]?.int64Value ?? .max))
        let edit = try app.call("PATCH", path, json: #"{"body":"again"}"#, token: ann.token)
        #expect(edit.status == 409)
        #expect(edit.body["error"]?["code"]?.stringValue == "message_deleted")
    }
}
