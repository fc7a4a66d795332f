import PaceApp
import PaceCrypto
import PaceJSON
import Testing

@Suite("Call signaling")
struct CallSignalingTests {
    private func open(_ app: TestApp, _ user: TestUser) throws -> ChatClient {
        let client = try ChatClient(app, token: user.token)
        _ = client.next("hello")
        return client
    }

    @Test func offerRingAnswerAndCandidatesReachOnlyTheRightSockets() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let caller = try open(app, ann), phone = try open(app, bob), laptop = try open(app, bob)
        caller.send(#"{"type":"call.invite","ref":1,"conversation_id":"\#(direct)","media":"video","sdp":"v=0 offer"}"#)
        let callID = try #require(caller.next("call.ack")?["call_id"]?.stringValue)
        for socket in [phone, laptop] {
            let invite = socket.next("call.invite")
            #expect(invite?["call_id"]?.stringValue == callID)
            #expect(invite?["media"]?.stringValue == "video")
            #expect(invite?["sdp"]?.stringValue == "v=0 offer")
        }
        phone.send(#"{"type":"call.ringing","call_id":"\#(callID)"}"#)
        #expect(caller.next("call.ringing")?["from_user_id"]?.stringValue == bob.idString)
        caller.send(#"{"type":"call.candidate","call_id":"\#(callID)","candidate":{"candidate":"a=1","sdpMid":"0"}}"#)
        #expect(laptop.next("call.candidate")?["candidate"]?["candidate"]?.stringValue == "a=1")

        laptop.send(#"{"type":"call.answer","ref":"x","call_id":"\#(callID)","sdp":"v=0 answer"}"#)
        let answer = caller.next("call.answer")
        #expect(answer?["sdp"]?.stringValue == "v=0 answer")
        let laptopSession = try #require(answer?["from_session_id"]?.stringValue)
        #expect(phone.next("call.answered_elsewhere")?["call_id"]?.stringValue == callID)

        laptop.send(#"{"type":"call.answer","ref":"again","call_id":"\#(callID)","sdp":"v=0"}"#)
        #expect(laptop.next("error")?["error"]?["code"]?.stringValue == "already_answered")
        phone.send(#"{"type":"call.answer","ref":"late","call_id":"\#(callID)","sdp":"v=0"}"#)
        #expect(phone.next("error")?["error"]?["code"]?.stringValue == "already_answered")

        laptop.send(#"{"type":"call.candidate","call_id":"\#(callID)","candidate":"b=2"}"#)
        #expect(caller.next("call.candidate")?["candidate"]?.stringValue == "b=2")
        caller.send(#"{"type":"call.candidate","call_id":"\#(callID)","to_session_id":"\#(laptopSession)","candidate":"c=3"}"#)
        #expect(laptop.next("call.candidate")?["candidate"]?.stringValue == "c=3")

        caller.send(#"{"type":"call.hangup","call_id":"\#(callID)"}"#)
        #expect(laptop.next("call.hangup")?["reason"]?.stringValue == "hangup")
        laptop.send(#"{"type":"call.candidate","ref":9,"call_id":"\#(callID)","candidate":"d"}"#)
        #expect(laptop.next("error")?["error"]?["code"]?.stringValue == "not_found")
    }

    @Test func outsidersCannotCallOrJoinAndOversizedFramesAreRefused() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let direct = try app.direct(ann, bob)
        let caller = try open(app, ann), outsider = try open(app, eve), callee = try open(app, bob)
        outsider.send(#"{"type":"call.invite","ref":1,"conversation_id":"\#(direct)","media":"audio","sdp":"v=0"}"#)
        #expect(outsider.next("error")?["error"]?["code"]?.stringValue == "not_found")

        let big = String(repeating: "a", count: 33 * 1024)
        caller.send(#"{"type":"call.invite","ref":2,"conversation_id":"\#(direct)","media":"audio","sdp":"\#(big)"}"#)
        #expect(caller.next("error")?["error"]?["code"]?.stringValue == "payload_too_large")
        caller.send(#"{"type":"call.invite","ref":3,"conversation_id":"\#(direct)","media":"holo","sdp":"v=0"}"#)
        #expect(caller.next("error")?["error"]?["code"]?.stringValue == "validation_failed")

        caller.send(#"{"type":"call.invite","ref":4,"conversation_id":"\#(direct)","media":"audio","sdp":"v=0"}"#)
        let callID = try #require(caller.next("call.ack")?["call_id"]?.stringValue)
        #expect(callee.next("call.invite") != nil)
        for frame in [#"{"type":"call.answer","ref":5,"call_id":"\#(callID)","sdp":"v=0"}"#,
                      #"{"type":"call.candidate","ref":5,"call_id":"\#(callID)","candidate":"x"}"#,
                      #"{"type":"call.ringing","ref":5,"call_id":"\#(callID)"}"#] {
            outsider.send(frame)
            #expect(outsider.next("error")?["error"]?["code"]?.stringValue == "not_found")
        }
        let hugeCandidate = String(repeating: "c", count: 3000)
        caller.send(#"{"type":"call.candidate","ref":6,"call_id":"\#(callID)","candidate":"\#(hugeCandidate)"}"#)
        #expect(caller.next("error")?["error"]?["code"]?.stringValue == "payload_too_large")
        #expect(!outsider.receives("call.invite", within: 200))
    }

    @Test func anUnansweredCallTimesOutIntoAMissedCallMessage() throws {
        let app = try TestApp(environment: ["PACE_CALL_RING_TIMEOUT_MS": "300"])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let caller = try open(app, ann), callee = try open(app, bob)
        caller.send(#"{"type":"call.invite","conversation_id":"\#(direct)","media":"audio","sdp":"v=0"}"#)
        let callID = try #require(caller.next("call.ack")?["call_id"]?.stringValue)
        #expect(callee.next("call.invite") != nil)
        let ended = callee.next("call.hangup")
        #expect(ended?["reason"]?.stringValue == "timeout")
        #expect(ended?["call_id"]?.stringValue == callID)
        let missed = callee.next("message.new")?["message"]
        #expect(missed?["kind"]?.stringValue == "missed_call")
        #expect(missed?["sender_id"]?.stringValue == ann.idString)
        let history = try app.call("GET", "/api/v1/conversations/\(direct)/messages", token: bob.token)
        #expect(history.body["messages"]?[0]?["kind"]?.stringValue == "missed_call")
        callee.send(#"{"type":"call.answer","ref":1,"call_id":"\#(callID)","sdp":"v=0"}"#)
        #expect(callee.next("error")?["error"]?["code"]?.stringValue == "not_found")
    }

    @Test func groupCallsAreLimitedToEightMembers() throws {
        let app = try TestApp()
        var users: [TestUser] = []
        for index in 0..<9 { users.append(try app.makeUser("user\(index)")) }
        let group = try app.group(users[0], Array(users[1...]))
        let caller = try open(app, users[0])
        caller.send(#"{"type":"call.invite","ref":1,"conversation_id":"\#(group)","media":"audio","sdp":"v=0"}"#)
        #expect(caller.next("error")?["error"]?["code"]?.stringValue == "call_too_large")
    }

    @Test func turnCredentialsFollowTheRESTAPIForTURN() throws {
        let app = try TestApp(environment: ["PACE_TURN_SECRET": "s3cret", "PACE_TURN_URIS": "turn:turn.example:3478, turns:turn.example:5349",
                                            "PACE_TURN_TTL_SECONDS": "600"])
        let ann = try app.makeUser("ann")
        let answer = try app.call("GET", "/api/v1/calls/turn-credentials", token: ann.token)
        #expect(answer.status == 200)
        let username = try #require(answer.body["username"]?.stringValue)
        let parts = username.split(separator: ":")
        #expect(parts.count == 2 && parts[1] == Substring(ann.idString))
        #expect(answer.body["credential"]?.stringValue
            == Base64.standard.encode(HMAC.sha1(key: Array("s3cret".utf8), message: Array(username.utf8))))
        #expect(answer.body["ttl"]?.int64Value == 600)
        #expect(answer.body["uris"]?.arrayValue?.count == 2)
        #expect(try app.call("GET", "/api/v1/calls/turn-credentials").status == 401)
        let bare = try TestApp()
        #expect(try bare.call("GET", "/api/v1/calls/turn-credentials", token: try bare.makeUser("bob").token).status == 404)
    }
}

@Suite("Call signaling: rejections, cancellations and group calls")
struct CallLifecycleTests {
    private func open(_ app: TestApp, _ user: TestUser) throws -> ChatClient {
        let client = try ChatClient(app, token: user.token)
        _ = client.next("hello")
        return client
    }

    @Test func aRejectionEndsTheCallWithoutAMissedCall() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let caller = try open(app, ann), phone = try open(app, bob), laptop = try open(app, bob)
        caller.send(#"{"type":"call.invite","conversation_id":"\#(direct)","media":"audio","sdp":"v=0"}"#)
        let callID = try #require(caller.next("call.ack")?["call_id"]?.stringValue)
        _ = phone.next("call.invite")
        _ = laptop.next("call.invite")
        phone.send(#"{"type":"call.reject","call_id":"\#(callID)"}"#)
        #expect(caller.next("call.reject")?["from_user_id"]?.stringValue == bob.idString)
        #expect(laptop.next("call.hangup")?["reason"]?.stringValue == "rejected")
        #expect(caller.next("call.hangup")?["reason"]?.stringValue == "rejected")
        laptop.send(#"{"type":"call.answer","ref":1,"call_id":"\#(callID)","sdp":"v=0"}"#)
        #expect(laptop.next("error")?["error"]?["code"]?.stringValue == "not_found")
        #expect(try app.call("GET", "/api/v1/conversations/\(direct)/messages", token: ann.token)
            .body["messages"]?.arrayValue?.isEmpty == true)
    }

    @Test func aCallerWhoLeavesBeforeAnAnswerLeavesAMissedCall() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let callee = try open(app, bob)
        let caller = try open(app, ann)
        caller.send(#"{"type":"call.invite","conversation_id":"\#(direct)","media":"video","sdp":"v=0"}"#)
        _ = caller.next("call.ack")
        #expect(callee.next("call.invite") != nil)
        caller.socket.sendClose(code: 1000)
        #expect(callee.next("call.hangup")?["reason"]?.stringValue == "cancelled")
        let missed = callee.next("message.new")?["message"]
        #expect(missed?["kind"]?.stringValue == "missed_call")
        #expect(missed?["body"]?.stringValue == "Missed video call")
    }

    @Test func groupCallsSignalAFullMeshBetweenParticipants() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let eve = try app.makeUser("eve")
        let group = try app.group(ann, [bob, cat])
        let a = try open(app, ann), b = try open(app, bob), c = try open(app, cat), e = try open(app, eve)
        a.send(#"{"type":"call.invite","conversation_id":"\#(group)","media":"audio","sdp":"offer-a"}"#)
        let callID = try #require(a.next("call.ack")?["call_id"]?.stringValue)
        #expect(b.next("call.invite")?["sdp"]?.stringValue == "offer-a")
        #expect(c.next("call.invite")?["sdp"]?.stringValue == "offer-a")
        b.send(#"{"type":"call.answer","call_id":"\#(callID)","sdp":"answer-b"}"#)
        let fromB = try #require(a.next("call.answer")?["from_session_id"]?.stringValue)
        c.send(#"{"type":"call.answer","call_id":"\#(callID)","sdp":"answer-c"}"#)
        #expect(a.next("call.answer")?["sdp"]?.stringValue == "answer-c")
        // The mesh leg between the two callees: Cat offers to Bob's session, Bob answers her.
        c.send(#"{"type":"call.invite","call_id":"\#(callID)","to_session_id":"\#(fromB)","sdp":"offer-c"}"#)
        let leg = b.next("call.invite")
        #expect(leg?["sdp"]?.stringValue == "offer-c")
        let fromC = try #require(leg?["from_session_id"]?.stringValue)
        b.send(#"{"type":"call.answer","call_id":"\#(callID)","to_session_id":"\#(fromC)","sdp":"answer-bc"}"#)
        #expect(c.next("call.answer")?["sdp"]?.stringValue == "answer-bc")
        e.send(#"{"type":"call.invite","ref":1,"call_id":"\#(callID)","to_session_id":"\#(fromB)","sdp":"x"}"#)
        #expect(e.next("error")?["error"]?["code"]?.stringValue == "not_found")
        b.send(#"{"type":"call.hangup","call_id":"\#(callID)"}"#)
        #expect(a.next("call.hangup")?["from_session_id"]?.stringValue == fromB)
        #expect(c.next("call.hangup")?["reason"]?.stringValue == "hangup")
        c.send(#"{"type":"call.hangup","call_id":"\#(callID)"}"#)
        #expect(a.next("call.hangup")?["reason"]?.stringValue == "hangup")
        #expect(a.next("call.hangup")?["reason"]?.stringValue == "ended")
    }
}
