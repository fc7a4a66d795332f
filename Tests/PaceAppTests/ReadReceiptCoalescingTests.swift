@testable import PaceApp
import PaceJSON
import Testing

@Suite("Read receipts: any group size, coalesced per reader")
struct ReadReceiptCoalescingTests {
    /// A group of `size` members (ann first, then bob, then others).
    private static func crowd(_ app: TestApp, size: Int) throws -> (TestUser, TestUser, [TestUser], String) {
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        var others: [TestUser] = []
        for index in 0..<(size - 2) { others.append(try app.makeUser("member\(index)")) }
        return (ann, bob, others, try app.group(ann, [bob] + others))
    }

    @Test func aLoneMarkGoesOutAtOnceAndTheWindowHoldsOnlyTheFurthest() {
        let buffer = ReadReceiptBuffer()
        #expect(buffer.add(7, reader: 1, messageID: 10, seq: 10, members: [1, 2]), "a quiet conversation: sent now")
        #expect(!buffer.add(7, reader: 1, messageID: 9, seq: 9, members: [1, 2]))
        #expect(!buffer.add(7, reader: 2, messageID: 11, seq: 11, members: [1, 2]))
        #expect(!buffer.add(7, reader: 2, messageID: 12, seq: 12, members: [1, 2]))
        let held = buffer.closeWindow(7)
        #expect(held?.positions[1] == nil, "behind what was already sent: never moves backwards")
        #expect(held?.positions[2]?.messageID == 12)
        #expect(!buffer.add(7, reader: 2, messageID: 12, seq: 12, members: [1, 2]), "the next window is open")
        #expect(buffer.closeWindow(7) == nil, "nothing new: the window closes")
        #expect(buffer.add(7, reader: 2, messageID: 13, seq: 13, members: [1, 2]), "quiet again: sent now")
    }

    @Test func aBurstOfMarksBecomesFewReceiptsEndingAtTheLastOne() throws {
        let app = try TestApp(environment: ["PACE_READ_RECEIPT_WINDOW_MS": "300"])
        let (ann, bob, _, room) = try Self.crowd(app, size: 100)
        var ids: [String] = []
        for index in 0..<50 { ids.append(try #require(try app.send(ann, room, "m\(index)")["id"]?.stringValue)) }
        let annClient = try ChatClient(app, token: ann.token), bobClient = try ChatClient(app, token: bob.token)
        _ = annClient.next("hello")
        _ = bobClient.next("hello")
        for id in ids {
            bobClient.send(#"{"type":"read","conversation_id":"\#(room)","message_id":"\#(id)"}"#)
        }
        var receipts: [JSONValue] = []
        while let receipt = annClient.next("receipt") {
            guard receipt["status"]?.stringValue == "read" else { continue }
            receipts.append(receipt)
            if receipt["message_id"]?.stringValue == ids.last { break }
        }
        #expect(receipts.last?["message_id"]?.stringValue == ids.last)
        #expect(receipts.allSatisfy { $0["user_id"]?.stringValue == bob.idString })
        // 50 marks: without coalescing, 50 receipts.
        #expect(receipts.count <= 10, "\(receipts.count) receipts for 50 marks")
        #expect(!annClient.receives("receipt", within: 500))
        let positions = try app.call("GET", "/api/v1/conversations/\(room)/read-positions", token: ann.token)
        let bobPosition = positions.body["positions"]?.arrayValue?.first { $0["user_id"]?.stringValue == bob.idString }
        #expect(bobPosition?["message_id"]?.stringValue == ids.last)
    }

    @Test func everyReaderOfAHundredMemberGroupIsHeardOnce() throws {
        let app = try TestApp()
        let (ann, _, others, room) = try Self.crowd(app, size: 100)
        let first = try #require(try app.send(ann, room, "first")["id"]?.stringValue)
        let last = try #require(try app.send(ann, room, "last")["id"]?.stringValue)
        let annClient = try ChatClient(app, token: ann.token)
        _ = annClient.next("hello")
        let readers = Array(others.prefix(20))
        for reader in readers {
            for id in [first, last] {
                let marked = try app.call("POST", "/api/v1/conversations/\(room)/read", json: #"{"message_id":"\#(id)"}"#,
                                          token: reader.token)
                #expect(marked.status == 204)
            }
        }
        var latest: [String: String] = [:]
        while latest.count < readers.count || latest.values.contains(first), let receipt = annClient.next("receipt") {
            if let user = receipt["user_id"]?.stringValue { latest[user] = receipt["message_id"]?.stringValue }
        }
        #expect(Set(latest.keys) == Set(readers.map(\.idString)))
        #expect(latest.values.allSatisfy { $0 == last })
    }
}
