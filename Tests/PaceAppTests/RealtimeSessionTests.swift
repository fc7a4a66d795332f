#if canImport(Glibc)
import Glibc
#endif
@testable import PaceApp
import PaceJSON
import Testing

@Suite("Real time: replay, presence, typing, receipts, slow consumers")
struct RealtimeSessionTests {
    @Test func resumingWithSinceReplaysWhatWasMissedThenGoesLiveWithoutGapsOrDuplicates() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob])
        let first = try app.call("POST", "/api/v1/conversations/\(room)/messages", json: #"{"body":"one"}"#, token: ann.token)
        let since = try #require(first.body["seq"]?.int64Value)
        let firstID = try #require(first.body["id"]?.stringValue)
        for body in ["two", "three"] {
            _ = try app.call("POST", "/api/v1/conversations/\(room)/messages", json: #"{"body":"\#(body)"}"#, token: ann.token)
        }
        _ = try app.call("PATCH", "/api/v1/conversations/\(room)/messages/\(firstID)", json: #"{"body":"one, edited"}"#,
                         token: ann.token)
        let bobClient = try ChatClient(app, token: bob.token, query: "since=\(since)")
        #expect(bobClient.next("hello") != nil)
        #expect(bobClient.next("message.new")?["message"]?["body"]?.stringValue == "two")
        #expect(bobClient.next("message.new")?["message"]?["body"]?.stringValue == "three")
        #expect(bobClient.next("message.updated")?["message"]?["body"]?.stringValue == "one, edited")
        _ = try app.call("POST", "/api/v1/conversations/\(room)/messages", json: #"{"body":"four"}"#, token: ann.token)
        #expect(bobClient.next("message.new")?["message"]?["body"]?.stringValue == "four")
        #expect(!bobClient.receives("message.new", within: 300))
    }

    @Test func aUserIsOnlineWhileAnyDeviceIsConnected() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        _ = try app.group(ann, [bob])
        let watcher = try ChatClient(app, token: bob.token)
        _ = watcher.next("hello")
        #expect(watcher.nextPresence(of: bob)?["presence"]?.stringValue == "online")
        var phone: ChatClient? = try ChatClient(app, token: ann.token)
        let online = try #require(watcher.nextPresence(of: ann))
        #expect(online["presence"]?.stringValue == "online")
        var laptop: ChatClient? = try ChatClient(app, token: ann.token)
        _ = laptop?.next("hello")
        laptop?.send(#"{"type":"presence.set","presence":"busy"}"#)
        #expect(watcher.nextPresence(of: ann)?["presence"]?.stringValue == "busy")
        #expect(try app.call("GET", "/api/v1/users/\(ann.id)", token: bob.token).body["presence"]?.stringValue == "busy")
        phone = nil
        #expect(!watcher.receives("presence", within: 400))
        laptop = nil
        let offline = try #require(watcher.nextPresence(of: ann))
        #expect(offline["presence"]?.stringValue == "offline")
        #expect(offline["last_seen_at"]?.stringValue != nil)
        _ = phone
    }

    @Test func typingReachesTheOtherMembersAndExpiresByItself() throws {
        let app = try TestApp(environment: ["PACE_TYPING_TIMEOUT_MS": "300"])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let annClient = try ChatClient(app, token: ann.token), bobClient = try ChatClient(app, token: bob.token)
        _ = annClient.next("hello")
        _ = bobClient.next("hello")
        annClient.send(#"{"type":"typing","conversation_id":"\#(room)","state":"start"}"#)
        let start = try #require(bobClient.next("typing"))
        #expect(start["state"]?.stringValue == "start")
        #expect(start["user_id"]?.stringValue == ann.idString)
        let stop = try #require(bobClient.next("typing"))
        #expect(stop["state"]?.stringValue == "stop")
        #expect(!annClient.receives("typing", within: 200))
        let outsider = try ChatClient(app, token: eve.token)
        _ = outsider.next("hello")
        outsider.send(#"{"type":"typing","ref":"t","conversation_id":"\#(room)","state":"start"}"#)
        #expect(outsider.next("error")?["error"]?["code"]?.stringValue == "not_found")
    }

    @Test func deliveredAndReadReceiptsReachTheSender() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.direct(ann, bob)
        let annClient = try ChatClient(app, token: ann.token), bobClient = try ChatClient(app, token: bob.token)
        _ = annClient.next("hello")
        _ = bobClient.next("hello")
        annClient.send(#"{"type":"message.send","conversation_id":"\#(room)","body":"hello"}"#)
        let id = try #require(annClient.next("message.ack")?["message"]?["id"]?.stringValue)
        _ = bobClient.next("message.new")
        let delivered = try #require(annClient.next("receipt"))
        #expect(delivered["status"]?.stringValue == "delivered")
        #expect(delivered["user_id"]?.stringValue == bob.idString)
        #expect(delivered["message_id"]?.stringValue == id)
        bobClient.send(#"{"type":"read","conversation_id":"\#(room)","message_id":"\#(id)"}"#)
        let read = try #require(annClient.next("receipt"))
        #expect(read["status"]?.stringValue == "read")
        #expect(try app.call("GET", "/api/v1/conversations/\(room)", token: bob.token).body["unread_count"]?.int64Value == 0)
    }

    @Test func aSocketThatStopsReadingIsClosedWith4000AndOthersKeepReceiving() throws {
        let app = try TestApp(environment: ["PACE_WS_OUTBOUND_LIMIT_BYTES": "65536"], sockets: true)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        let slow = try ChatClient(app, token: bob.token, receiveBuffer: 4096)
        let healthy = try ChatClient(app, token: cat.token)
        _ = healthy.next("hello")
        // 16 KB frames: enough of them overflow the kernel's socket buffers too.
        let body = String(repeating: "😀", count: 4000)
        var sent = 0, received = 0
        // Until the server closes the slow socket: it must then read within the close timeout.
        while sent < 400 && app.server.hub.statistics.slowConsumersClosed.load(ordering: .relaxed) == 0 {
            let answer = try app.call("POST", "/api/v1/conversations/\(room)/messages", json: #"{"body":"\#(body)"}"#,
                                      token: ann.token)
            #expect(answer.status == 201)
            sent += 1
            if healthy.next("message.new") != nil { received += 1 }
        }
        #expect(sent < 400, "the slow socket was never closed")
        #expect(slow.waitForClose() == 4000)
        for _ in 0..<20 {
            _ = try app.call("POST", "/api/v1/conversations/\(room)/messages", json: #"{"body":"\#(body)"}"#,
                             token: ann.token)
            sent += 1
            if healthy.next("message.new") != nil { received += 1 }
        }
        #expect(received == sent)
    }

    @Test func persistentFloodingIsRateLimitedThenClosedWith1008() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let client = try ChatClient(app, token: ann.token)
        _ = client.next("hello")
        for _ in 0..<400 { client.send(#"{"type":"ping"}"#) }
        #expect(client.next("error")?["error"]?["code"]?.stringValue == "rate_limited")
        #expect(client.waitForClose() == 1008)
    }

    @Test func loadTestsCanTurnTheFrameLimitOff() throws {
        let app = try TestApp(environment: ["PACE_RATE_LIMITS": "off"])
        let ann = try app.makeUser("ann")
        let client = try ChatClient(app, token: ann.token)
        _ = client.next("hello")
        for index in 0..<400 { client.send(#"{"type":"ping","ref":\#(index)}"#) }
        var pongs = 0
        while pongs < 400, client.next("pong") != nil { pongs += 1 }
        #expect(pongs == 400)
        #expect(!client.receives("error", within: 100))
    }
}
