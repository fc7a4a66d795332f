import PaceJSON
import PaceSystem
import Synchronization
import Testing

@Suite("Messages: send")
struct MessageSendTests {
    @Test func aSentMessageHasEveryField() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let message = try app.send(ann, chat, "  hello  ", clientID: "c-1")
        #expect(message["body"]?.stringValue == "hello")
        #expect(message["conversation_id"]?.stringValue == chat)
        #expect(message["sender_id"]?.stringValue == ann.idString)
        #expect(message["client_id"]?.stringValue == "c-1")
        #expect(message["reply_to_id"] == .null)
        #expect(message["attachments"] == .array([]))
        #expect(message["reactions"] == .array([]))
        #expect(message["edited_at"] == .null)
        #expect(message["deleted"] == .bool(false))
        let seq = try #require(message["seq"]?.int64Value)
        #expect(message["version"]?.int64Value == seq)
        #expect(message["created_at"]?.stringValue?.hasSuffix("Z") == true)
        let next = try app.send(bob, chat, "hi")
        #expect(try #require(next["seq"]?.int64Value) > seq)
    }

    @Test func aRepeatedClientIDReturnsTheFirstMessage() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let first = try app.send(ann, chat, "once", clientID: "same")
        let retry = try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                                 json: #"{"body":"once, again","client_id":"same"}"#, token: ann.token)
        #expect(retry.status == 200)
        #expect(retry.body == first)
        // The same client_id from another sender is another message.
        let other = try app.send(bob, chat, "mine", clientID: "same")
        #expect(other["id"] != first["id"])
        let page = try app.call("GET", "/api/v1/conversations/\(chat)/messages", token: ann.token)
        #expect(page.body["messages"]?.arrayValue?.count == 2)
    }

    @Test func concurrentRetriesStoreOneMessage() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let answers = Mutex<[(Int, String)]>([])
        var threads: [OSThread] = []
        for _ in 0..<12 {
            threads.append(try OSThread(name: "retry") {
                guard let answer = try? app.call("POST", "/api/v1/conversations/\(chat)/messages",
                                                 json: #"{"body":"racing","client_id":"r-1"}"#, token: ann.token) else { return }
                answers.withLock { $0.append((answer.status, answer.body["id"]?.stringValue ?? "")) }
            })
        }
        for thread in threads { thread.join() }
        let all = answers.withLock { $0 }
        #expect(all.count == 12)
        #expect(Set(all.map(\.1)).count == 1)
        #expect(all.filter { $0.0 == 201 }.count == 1)
        #expect(all.filter { $0.0 == 200 }.count == 11)
        let page = try app.call("GET", "/api/v1/conversations/\(chat)/messages", token: bob.token)
        #expect(page.body["messages"]?.arrayValue?.count == 1)
    }

    @Test func aClientIDUsedInAnotherConversationIsAConflict() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let one = try app.direct(ann, bob), two = try app.group(ann, [bob])
        try app.send(ann, one, "first", clientID: "k")
        let reused = try app.call("POST", "/api/v1/conversations/\(two)/messages", json: #"{"body":"x","client_id":"k"}"#,
                                  token: ann.token)
        #expect(reused.status == 409)
        #expect(reused.body["error"]?["code"]?.stringValue == "client_id_reused")
    }

    @Test(arguments: [
        (#"{"body":"   "}"#, "body"),
        (#"{}"#, "body"),
        (#"{"body":5}"#, "body"),
        (#"{"body":"\#(String(repeating: "a", count: 4001))"}"#, "body"),
        (#"{"body":"x","client_id":""}"#, "client_id"),
        (#"{"body":"x","reply_to_id":"abc"}"#, "reply_to_id"),
        (#"{"body":"x","attachment_ids":"1"}"#, "attachment_ids"),
        (#"{"body":"x","attachment_ids":["1","2","3","4","5","6","7","8","9","10","11"]}"#, "attachment_ids"),
        (#"{"body":"x","attachment_ids":["1","1"]}"#, "attachment_ids"),
    ])
    func invalidMessagesAre422(body: String, field: String) throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let answer = try app.call("POST", "/api/v1/conversations/\(chat)/messages", json: body, token: ann.token)
        #expect(answer.status == 422)
        #expect(answer.body["error"]?["details"]?[0]?["field"]?.stringValue == field)
    }

    @Test func bodyLengthCountsCharactersAfterTrimming() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let longest = String(repeating: "👍🏽", count: 4000)
        let message = try app.send(ann, chat, "\n " + longest + " \t")
        #expect(message["body"]?.stringValue == longest)
    }

    @Test func replyToMustBeInTheSameConversation() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let one = try app.direct(ann, bob), two = try app.group(ann, [bob])
        let original = try #require(try app.send(bob, one, "question")["id"]?.stringValue)
        let reply = try app.call("POST", "/api/v1/conversations/\(one)/messages",
                                 json: #"{"body":"answer","reply_to_id":"\#(original)"}"#, token: ann.token)
        #expect(reply.status == 201)
        #expect(reply.body["reply_to_id"]?.stringValue == original)
        let elsewhere = try app.call("POST", "/api/v1/conversations/\(two)/messages",
                                     json: #"{"body":"answer","reply_to_id":"\#(original)"}"#, token: ann.token)
        #expect(elsewhere.status == 422)
        #expect(elsewhere.body["error"]?["details"]?[0]?["field"]?.stringValue == "reply_to_id")
    }

    @Test func attachmentsMustBeTheSendersOwnUploads() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let mine = try app.makeUpload(ann, filename: "cat.png"), second = try app.makeUpload(ann, filename: "dog.png")
        let theirs = try app.makeUpload(bob)
        let sent = try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                                json: #"{"body":"","attachment_ids":["\#(second)","\#(mine)"]}"#, token: ann.token)
        #expect(sent.status == 201)
        #expect(sent.body["body"]?.stringValue == "")
        let attachments = sent.body["attachments"]?.arrayValue ?? []
        #expect(attachments.map { $0["id"]?.stringValue } == [second, mine])
        #expect(attachments.first?["filename"]?.stringValue == "dog.png")
        #expect(attachments.first?["content_type"]?.stringValue == "image/png")
        #expect(attachments.first?["size"]?.int64Value == 3)
        #expect(attachments.first?["sha256"]?.stringValue?.count == 64)
        #expect(attachments.first?["url"]?.stringValue == "/api/v1/uploads/\(second)")
        #expect(attachments.first?["created_at"]?.stringValue == "2023-11-14T22:13:20.000Z")
        let stolen = try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                                  json: #"{"body":"x","attachment_ids":["\#(mine)","\#(theirs)"]}"#, token: ann.token)
        #expect(stolen.status == 422)
        #expect(stolen.body["error"]?["details"]?[0]?["field"]?.stringValue == "attachment_ids[1]")
        let missing = try app.call("POST", "/api/v1/conversations/\(chat)/messages",
                                   json: #"{"body":"x","attachment_ids":["987654"]}"#, token: ann.token)
        #expect(missing.status == 422)
    }

    @Test func nonMembersAndBadIDsGet404() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let chat = try app.direct(ann, bob)
        for path in ["/api/v1/conversations/\(chat)/messages", "/api/v1/conversations/0/messages",
                     "/api/v1/conversations/abc/messages", "/api/v1/conversations/99999/messages"] {
            let answer = try app.call("POST", path, json: #"{"body":"hi"}"#, token: eve.token)
            #expect(answer.status == 404, "\(path)")
        }
    }
}
