import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

@Suite("Spam controls: per-user message rates and duplicates")
struct MessageThrottleTests {
    @Test func aBurstIsCutOffWith429OverRESTAndAnErrorFrameOverTheSocket() throws {
        let app = try TestApp(environment: ["PACE_RATE_MESSAGES_BURST": "3/60"])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        for index in 0..<3 { _ = try app.send(ann, chat, "m\(index)") }
        let refused = try app.request("POST", "/api/v1/conversations/\(chat)/messages", body: Array(#"{"body":"m4"}"#.utf8),
                                      token: ann.token)
        #expect(refused.status == 429)
        #expect(Int(refused.header("retry-after") ?? "") ?? 0 >= 1)
        let socket = try ChatClient(app, token: bob.token)
        _ = socket.next("hello")
        for index in 0..<4 {
            socket.send(#"{"type":"message.send","ref":"r\#(index)","conversation_id":"\#(chat)","body":"w\#(index)"}"#)
        }
        let error = socket.next("error")
        #expect(error?["error"]?["code"]?.stringValue == "rate_limited")
        #expect(error?["ref"]?.stringValue == "r3", "the fourth frame is the one refused")
    }

    @Test func theSameBodyRepeatedIsThrottled() throws {
        let app = try TestApp(environment: ["PACE_DUPLICATE_MESSAGES": "2/60"])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        _ = try app.send(ann, chat, "buy now")
        _ = try app.send(ann, chat, "buy now")
        let path = "/api/v1/conversations/\(chat)/messages"
        let third = try app.call("POST", path, json: #"{"body":"buy now"}"#, token: ann.token)
        #expect(third.status == 429)
        #expect(third.body["error"]?["code"]?.stringValue == "duplicate_message")
        #expect(try app.call("POST", path, json: #"{"body":"something else"}"#, token: ann.token).status == 201)
        #expect(try app.call("POST", path, json: #"{"body":"buy now"}"#, token: bob.token).status == 201, "per user")
    }

    @Test func offByDefaultAndWithRateLimitsOff() throws {
        let app = try TestApp(environment: ["PACE_DUPLICATE_MESSAGES": "1/60", "PACE_RATE_LIMITS": "off"])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        for _ in 0..<5 { _ = try app.send(ann, chat, "same") }
        #expect(throws: (any Error).self) { try TestApp(environment: ["PACE_RATE_MESSAGES": "fast"]) }
    }
}
