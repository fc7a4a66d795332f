import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

@Suite("Conversation export: NDJSON, owners and server admins")
struct ConversationExportTests {
    private func lines(_ response: TestResponse) throws -> [JSONValue] {
        try response.body.split(separator: UInt8(ascii: "\n")).map { try JSONParser.parse(Array($0)) }
    }

    @Test func theOwnerGetsEveryMessageWithEditsReactionsAndAttachments() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob])
        let first = try app.send(ann, room, "hello").id
        #expect(try app.call("PATCH", "/api/v1/conversations/\(room)/messages/\(first)", json: #"{"body":"hello, edited"}"#,
                             token: ann.token).status == 200)
        #expect(try app.request("PUT", "/api/v1/conversations/\(room)/messages/\(first)/reactions/%F0%9F%91%8D",
                                token: bob.token).status / 100 == 2)
        let upload = try app.uploadID(Array("file body".utf8), contentType: "text/plain", token: bob.token)
        #expect(try app.call("POST", "/api/v1/conversations/\(room)/messages",
                             json: #"{"body":"see file","attachment_ids":["\#(upload)"]}"#, token: bob.token).status == 201)
        for index in 0..<3 { _ = try app.send(bob, room, "n\(index)") }
        let export = try app.request("GET", "/api/v1/conversations/\(room)/export", token: ann.token)
        #expect(export.status == 200)
        #expect(export.header("content-type") == "application/x-ndjson")
        let objects = try lines(export)
        #expect(objects.first?["type"]?.stringValue == "conversation")
        #expect(objects.first?["id"]?.stringValue == room)
        let messages = objects.dropFirst()
        #expect(messages.map { $0["body"]?.stringValue ?? "" } == ["hello, edited", "see file", "n0", "n1", "n2"])
        #expect(messages.first?["edited_at"]?.stringValue != nil)
        #expect(messages.first?["reactions"]?[0]?["emoji"]?.stringValue == "👍")
        let file = messages.dropFirst().first?["attachments"]?[0]
        #expect(file?["filename"]?.stringValue != nil && file?["size"]?.int64Value == 9)
        #expect(try app.request("GET", file?["url"]?.stringValue ?? "/", token: ann.token).body == Array("file body".utf8))
    }

    @Test func othersAreRefusedAndAServerAdminIsAudited() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let root = try app.makeUser("root", admin: true)
        let room = try app.group(ann, [bob])
        _ = try app.send(ann, room, "hi")
        let path = "/api/v1/conversations/\(room)/export"
        let member = try app.call("GET", path, token: bob.token)
        #expect(member.status == 403)
        #expect(member.body["error"]?["code"]?.stringValue == "export_forbidden")
        #expect(try app.request("GET", path, token: eve.token).status == 403)
        #expect(try app.request("GET", "/api/v1/conversations/999/export", token: eve.token).status == 404)
        #expect(try app.request("GET", path, token: root.token).status == 200)
        let audit = try app.call("GET", "/api/v1/admin/audit", token: root.token).body["entries"]?.arrayValue ?? []
        #expect(audit.map { "\($0["action"]?.stringValue ?? "") \($0["outcome"]?.stringValue ?? "")" }
                == ["conversation.export allowed"] + Array(repeating: "conversation.export denied", count: 3))
    }
}

@Suite("Account export: a user's own profile, files and messages")
struct AccountExportTests {
    @Test func theCallerGetsTheirOwnDataOnly() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        _ = try app.send(ann, chat, "mine")
        _ = try app.send(bob, chat, "not mine")
        let upload = try app.uploadID(Array("ann's file".utf8), contentType: "text/plain", token: ann.token)
        let export = try app.request("GET", "/api/v1/me/export", token: ann.token)
        #expect(export.status == 200)
        let objects = try export.body.split(separator: UInt8(ascii: "\n")).map { try JSONParser.parse(Array($0)) }
        #expect(objects.map { $0["type"]?.stringValue ?? "" } == ["user", "upload", "message"])
        #expect(objects[0]["user"]?["username"]?.stringValue == "ann")
        #expect(objects[1]["id"]?.stringValue == upload)
        #expect(objects[2]["body"]?.stringValue == "mine")
        #expect(objects[2]["conversation_id"]?.stringValue == chat)
        #expect(try app.request("GET", "/api/v1/me/export").status == 401)
    }
}
