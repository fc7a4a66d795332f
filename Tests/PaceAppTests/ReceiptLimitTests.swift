import PaceApp
import PaceJSON
import Testing

@Suite("Delivered receipts stop at 64 members, as documented")
struct ReceiptLimitTests {
    @Test(arguments: [(64, true), (65, false)])
    func deliveredReceiptsOnlyInConversationsUpToTheLimit(size: Int, expectsReceipt: Bool) throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        var others = [bob]
        for index in 0..<(size - 2) { others.append(try app.makeUser("user\(index)")) }
        let room = try app.group(ann, others)
        let annClient = try ChatClient(app, token: ann.token), bobClient = try ChatClient(app, token: bob.token)
        _ = annClient.next("hello")
        _ = bobClient.next("hello")
        annClient.send(#"{"type":"message.send","conversation_id":"\#(room)","body":"hi"}"#)
        #expect(annClient.next("message.ack") != nil)
        #expect(bobClient.next("message.new") != nil)
        #expect(annClient.receives("receipt", within: expectsReceipt ? 3000 : 500) == expectsReceipt)
    }

    @Test func theContractStatesTheLimitAndWhatConversationUpdatedCarries() throws {
        let app = try TestApp()
        let spec = try app.request("GET", "/openapi.yaml").text.replacingNewlinesAndIndent()
        let limit = RealtimeConfiguration().deliveryReceiptLimit
        #expect(limit == 64)
        for promise in ["only in conversations of at most \(limit) members",
                        "`unread_count` and without `messages`, in its state after the change",
                        "Sent to every member after the change and to members just removed"] {
            let stated = spec.contains(promise)
            #expect(stated, "openapi.yaml does not say: \(promise)")
        }
    }
}

private extension String {
    /// YAML folds long descriptions over indented lines; compare them as one line.
    func replacingNewlinesAndIndent() -> String {
        split(separator: "\n").map { $0.drop { $0 == " " } }.joined(separator: " ")
    }
}
