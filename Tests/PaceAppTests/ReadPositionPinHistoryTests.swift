import PaceJSON
import Testing

@Suite("Read positions, pins and edit history")
struct ReadPositionPinHistoryTests {
    @Test func readPositionsAreForMembersOnlyAndNeverMoveBackwards() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let first = try #require(try app.send(ann, room, "one")["id"]?.stringValue)
        let second = try app.send(ann, room, "two")
        let secondID = try #require(second["id"]?.stringValue)
        let read = "/api/v1/conversations/\(room)/read"
        #expect(try app.call("POST", read, json: #"{"message_id":"\#(secondID)"}"#, token: bob.token).status == 204)
        #expect(try app.call("POST", read, json: #"{"message_id":"\#(first)"}"#, token: bob.token).status == 204)
        let positions = try app.call("GET", "/api/v1/conversations/\(room)/read-positions", token: ann.token)
        #expect(positions.status == 200)
        let bobs = positions.body["positions"]?.arrayValue?.first { $0["user_id"]?.stringValue == bob.idString }
        #expect(bobs?["message_id"]?.stringValue == secondID, "marking an older message does not move it back")
        #expect(bobs?["seq"]?.int64Value == second["seq"]?.int64Value)
        let anns = positions.body["positions"]?.arrayValue?.first { $0["user_id"]?.stringValue == ann.idString }
        #expect(anns?["message_id"]?.isNull == true)
        #expect(try app.call("GET", "/api/v1/conversations/\(room)/read-positions", token: eve.token).status == 404)
    }

    @Test func readReceiptsReplayOnceAndLatestOnResume() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob])
        let since = try #require(try app.send(ann, room, "one")["seq"]?.int64Value)
        let two = try #require(try app.send(ann, room, "two")["id"]?.stringValue)
        let three = try #require(try app.send(ann, room, "three")["id"]?.stringValue)
        for message in [two, three] {
            #expect(try app.call("POST", "/api/v1/conversations/\(room)/read", json: #"{"message_id":"\#(message)"}"#,
                                 token: bob.token).status == 204)
        }
        let resumed = try ChatClient(app, token: ann.token, query: "since=\(since)")
        let receipt = try #require(resumed.next("receipt"))
        #expect(receipt["user_id"]?.stringValue == bob.idString)
        #expect(receipt["message_id"]?.stringValue == three)
        #expect(receipt["status"]?.stringValue == "read")
        #expect(!resumed.receives("receipt", within: 300), "coalesced: one receipt per member")
    }

    @Test func pinsAreListedAndReachMembersAsUpdates() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let message = try app.send(ann, room, "remember this")
        let id = try #require(message["id"]?.stringValue)
        let since = try #require(message["seq"]?.int64Value)
        let pin = "/api/v1/conversations/\(room)/messages/\(id)/pin"
        let live = try ChatClient(app, token: ann.token)
        #expect(live.next("hello") != nil)
        #expect(try app.call("PUT", pin, token: bob.token).status == 204)
        #expect(live.next("message.updated")?["message"]?["pinned"]?.boolValue == true)
        #expect(try app.call("PUT", pin, token: bob.token).status == 204, "pinning twice is fine")
        let pins = try app.call("GET", "/api/v1/conversations/\(room)/pins", token: ann.token)
        #expect(pins.body["pins"]?.arrayValue?.count == 1)
        #expect(pins.body["pins"]?[0]?["pinned_by"]?.stringValue == bob.idString)
        #expect(pins.body["pins"]?[0]?["message"]?["pinned"]?.boolValue == true)
        let resumed = try ChatClient(app, token: ann.token, query: "since=\(since)")
        #expect(resumed.next("message.updated")?["message"]?["pinned"]?.boolValue == true)
        #expect(try app.call("PUT", pin, token: eve.token).status == 404)
        #expect(try app.call("GET", "/api/v1/conversations/\(room)/pins", token: eve.token).status == 404)
        #expect(try app.call("DELETE", pin, token: ann.token).status == 204)
        #expect(try app.call("GET", "/api/v1/conversations/\(room)/pins", token: ann.token).body["pins"]?.arrayValue?.isEmpty == true)
    }

    @Test func pinningInAnArchivedChannelIsRefused() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let created = try app.call("POST", "/api/v1/conversations", json: #"{"type":"channel","name":"old"}"#, token: ann.token)
        let channel = try #require(created.body["id"]?.stringValue)
        let id = try #require(try app.send(ann, channel, "keep")["id"]?.stringValue)
        #expect(try app.call("POST", "/api/v1/conversations/\(channel)/archive", token: ann.token).status == 200)
        let refused = try app.call("PUT", "/api/v1/conversations/\(channel)/messages/\(id)/pin", token: ann.token)
        #expect(refused.status == 409)
        #expect(refused.body["error"]?["code"]?.stringValue == "channel_archived")
    }

    @Test func editHistoryKeepsPreviousBodiesUntilDeletion() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let id = try #require(try app.send(ann, room, "first")["id"]?.stringValue)
        let path = "/api/v1/conversations/\(room)/messages/\(id)"
        for body in ["second", "third"] {
            #expect(try app.call("PATCH", path, json: #"{"body":"\#(body)"}"#, token: ann.token).status == 200)
        }
        let history = try app.call("GET", path + "/history", token: bob.token)
        #expect(history.status == 200)
        #expect(history.body["versions"]?.arrayValue?.compactMap { $0["body"]?.stringValue } == ["first", "second"])
        #expect(try app.call("GET", path + "/history", token: eve.token).status == 404)
        #expect(try app.call("DELETE", path, token: ann.token).status == 204)
        #expect(try app.call("GET", path + "/history", token: bob.token).body["versions"]?.arrayValue?.isEmpty == true)
    }
}
