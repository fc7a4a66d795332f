import PaceApp
import PaceJSON
import Testing

@Suite("Real time: messages over WebSocket")
struct RealtimeMessagingTests {
    @Test func helloComesFirstWithTheSessionFigures() throws {
        let app = try TestApp(sockets: true)
        let ann = try app.makeUser("ann")
        let client = try ChatClient(app, token: ann.token)
        #expect(client.status == 101)
        let hello = try #require(client.next("hello"))
        #expect(hello["user_id"]?.stringValue == ann.idString)
        #expect(hello["session_id"]?.stringValue?.isEmpty == false)
        #expect(hello["heartbeat_interval_ms"]?.int64Value == 30_000)
        #expect(hello["typing_timeout_ms"]?.int64Value == 6_000)
        #expect(hello["max_message_bytes"]?.int64Value == 1 << 20)
        #expect(try app.request("GET", "/metrics").text.contains("pace_websockets_open 1\n"))
    }

    @Test func theUpgradeNeedsAValidToken() throws {
        let app = try TestApp()
        #expect(try ChatClient(app, token: nil).status == 401)
        #expect(try ChatClient(app, token: "not-a-token").status == 401)
        let ann = try app.makeUser("ann")
        #expect(try ChatClient(app, token: nil, headers: [("Authorization", "Bearer \(ann.token)")]).status == 101)
        #expect(try ChatClient(app, token: ann.token, query: "since=-4").status == 400)
        #expect(try ChatClient(app, token: ann.token, query: "since=%ZZ").status == 400)
    }

    @Test func onlyAllowedOriginsMayOpenASocket() throws {
        let app = try TestApp(environment: ["PACE_ALLOWED_ORIGINS": "https://chat.example, https://app.example"])
        let ann = try app.makeUser("ann")
        #expect(try ChatClient(app, token: ann.token, headers: [("Origin", "https://evil.example")]).status == 403)
        #expect(try ChatClient(app, token: ann.token, headers: [("Origin", "https://app.example")]).status == 101)
        #expect(try ChatClient(app, token: ann.token).status == 101)
    }

    @Test func byDefaultOnlyPagesOfTheSameHostAndNonBrowsersMayOpenASocket() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let refused = try ChatClient(app, token: ann.token, headers: [("Origin", "https://evil.example")])
        #expect(refused.status == 403)
        // The test client sends `Host: localhost`.
        #expect(try ChatClient(app, token: ann.token, headers: [("Origin", "http://localhost")]).status == 101)
        #expect(try ChatClient(app, token: ann.token, headers: [("Origin", "http://localhost:1")]).status == 403)
        #expect(try ChatClient(app, token: ann.token, headers: [("Origin", "null")]).status == 403)
        #expect(try ChatClient(app, token: ann.token).status == 101)
        let open = try TestApp(environment: ["PACE_ALLOWED_ORIGINS": "*"])
        let bob = try open.makeUser("bob")
        #expect(try ChatClient(open, token: bob.token, headers: [("Origin", "https://evil.example")]).status == 101)
    }

    @Test func anExpiredTokenIsToldApartFromAnInvalidOneOnTheUpgrade() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let codec = app.server.context.authenticator.codec
        let now = Int64(app.server.context.now() / 1000)
        let claims = try codec.verify(ann.token, now: now).get()
        let expired = codec.sign(AccessClaims(subject: claims.subject, issuedAt: now - 1000, expiresAt: now - 1,
                                              tokenID: "old", family: claims.family))
        let late = try ChatClient(app, token: expired)
        #expect(late.status == 401)
        #expect(late.socket.handshake?.header("www-authenticate") == TokenTamperingTests.expiredChallenge)
        let garbage = try ChatClient(app, token: "not-a-token")
        #expect(garbage.status == 401)
        #expect(garbage.socket.handshake?.header("www-authenticate") == TokenTamperingTests.invalidChallenge)
        #expect(try ChatClient(app, token: nil).socket.handshake?.header("www-authenticate") == "Bearer")
    }

    @Test func aSendIsAckedToItsSocketAndFannedOutToEveryOtherSocketOfEveryMember() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let room = try app.group(ann, [bob])
        let annPhone = try ChatClient(app, token: ann.token), annLaptop = try ChatClient(app, token: ann.token)
        let bobClient = try ChatClient(app, token: bob.token), eveClient = try ChatClient(app, token: eve.token)
        for client in [annPhone, annLaptop, bobClient, eveClient] { _ = client.next("hello") }
        annPhone.send(#"{"type":"message.send","ref":"r1","conversation_id":"\#(room)","body":"hi","client_id":"c-1"}"#)
        let ack = try #require(annPhone.next("message.ack"))
        #expect(ack["ref"]?.stringValue == "r1")
        #expect(ack["client_id"]?.stringValue == "c-1")
        let id = try #require(ack["message"]?["id"]?.stringValue)
        #expect(bobClient.next("message.new")?["message"]?["id"]?.stringValue == id)
        #expect(annLaptop.next("message.new")?["message"]?["body"]?.stringValue == "hi")
        #expect(!annPhone.receives("message.new", within: 300))
        #expect(!eveClient.receives("message.new", within: 300))
    }

    @Test func aRESTSendReachesTheSockets() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob])
        let bobClient = try ChatClient(app, token: bob.token)
        _ = bobClient.next("hello")
        let sent = try app.call("POST", "/api/v1/conversations/\(room)/messages", json: #"{"body":"from rest"}"#, token: ann.token)
        #expect(sent.status == 201)
        #expect(bobClient.next("message.new")?["message"]?["body"]?.stringValue == "from rest")
    }

    @Test func deliveriesAreTimedFromCommitUntilWrittenOncePerLoopNotPerRecipient() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let members = try ["bob", "cat", "dan"].map { try app.makeUser($0) }
        let room = try app.group(ann, members)
        // Consecutive connections alternate between the two loops: both loops hold recipients.
        let clients = try members.map { try ChatClient(app, token: $0.token) }
        for client in clients { _ = client.next("hello") }
        func timed() throws -> Int {
            let text = try app.request("GET", "/metrics").text
            let line = text.split(separator: "\n").first { $0.hasPrefix("pace_delivery_latency_seconds_count ") }
            return line.flatMap { Int($0.split(separator: " ")[1]) } ?? -1
        }
        #expect(try timed() == 0)
        for body in ["one", "two"] {
            _ = try app.call("POST", "/api/v1/conversations/\(room)/messages", json: #"{"body":"\#(body)"}"#, token: ann.token)
            for client in clients { #expect(client.next("message.new") != nil) }
        }
        // The marker is reached just after the sockets it follows are written; wait out that gap.
        #expect(eventually { (try? timed()) == 2 * 2 })
    }

    @Test func badFramesAnswerErrorsWithTheirRefAndTheConnectionStaysOpen() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let client = try ChatClient(app, token: ann.token)
        _ = client.next("hello")
        client.send("not json")
        #expect(client.next("error")?["error"]?["code"]?.stringValue == "invalid_json")
        client.send(#"{"type":"nope","ref":5}"#)
        let unknown = try #require(client.next("error"))
        #expect(unknown["ref"]?.int64Value == 5)
        #expect(unknown["error"]?["code"]?.stringValue == "unknown_type")
        client.send(#"{"type":"message.send","ref":"x","conversation_id":"999","body":"hi"}"#)
        let missing = try #require(client.next("error"))
        #expect(missing["ref"]?.stringValue == "x")
        #expect(missing["error"]?["code"]?.stringValue == "not_found")
        client.send(#"{"type":"message.send","ref":"y","conversation_id":"1","body":""}"#)
        #expect(client.next("error")?["error"]?["code"]?.stringValue == "validation_failed")
        client.send(#"{"type":"ping","ref":"p"}"#)
        #expect(client.next("pong")?["ref"]?.stringValue == "p")
    }

    @Test func everyMemberSeesOneConversationInTheSameOrderExactlyOnce() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        let readers = try [ann, bob, cat].map { try ChatClient(app, token: $0.token) }
        let senders = try [ann, bob].map { try ChatClient(app, token: $0.token) }
        for client in readers + senders { _ = client.next("hello") }
        let perSender = 40
        for index in 0..<perSender {
            for (number, sender) in senders.enumerated() {
                sender.send(#"{"type":"message.send","conversation_id":"\#(room)","body":"m\#(number)-\#(index)","client_id":"s\#(number)-\#(index)"}"#)
            }
        }
        var orders: [[Int64]] = []
        for reader in readers {
            var seqs: [Int64] = []
            while seqs.count < perSender * 2, let frame = reader.next("message.new") {
                seqs.append(frame["message"]?["seq"]?.int64Value ?? -1)
            }
            orders.append(seqs)
        }
        #expect(orders[0].count == perSender * 2)
        #expect(orders[0] == orders[0].sorted())
        #expect(Set(orders[0]).count == orders[0].count)
        #expect(orders[1] == orders[0])
        #expect(orders[2] == orders[0])
    }

    @Test func aRevokedLoginClosesItsSocketsWith4001() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let client = try ChatClient(app, token: ann.token)
        _ = client.next("hello")
        app.server.context.authenticator.revoke(family: "f\(ann.id)")
        #expect(client.waitForClose() == 4001)
    }
}
