#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceCrypto
import PaceJSON
import PaceTestSupport
import Testing

@Suite("End-to-end encrypted messages")
struct EncryptedMessageTests {
    @Test func eachDeviceReceivesOnlyItsOwnCiphertext() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let annPhone = try app.registerDevice(ann), bobPhone = try app.registerDevice(bob), bobLaptop = try app.registerDevice(bob)
        let phone = try ChatClient(app, token: bob.token, query: "device_id=\(bobPhone)")
        let laptop = try ChatClient(app, token: bob.token, query: "device_id=\(bobLaptop)")
        let undeclared = try ChatClient(app, token: bob.token)
        // Ann's device id on Bob's socket gets Bob nothing of Ann's.
        let impostor = try ChatClient(app, token: bob.token, query: "device_id=\(annPhone)")
        for client in [phone, laptop, undeclared, impostor] { _ = client.next("hello") }

        let sent = try app.sendEncrypted(ann, direct, to: [annPhone, bobPhone, bobLaptop])
        #expect(sent.status == 201)
        #expect(sent.body["encrypted"]?.boolValue == true)
        #expect(sent.body["kind"]?.stringValue == "encrypted")
        #expect(sent.body["body"]?.stringValue == "")
        #expect(sent.body["ciphertext"]?.isNull == true)

        #expect(plaintext(of: phone.next("message.new")?["message"]?["ciphertext"]) == "secret for \(bobPhone)")
        #expect(plaintext(of: laptop.next("message.new")?["message"]?["ciphertext"]) == "secret for \(bobLaptop)")
        #expect(undeclared.next("message.new")?["message"]?["ciphertext"]?.isNull == true)
        #expect(impostor.next("message.new")?["message"]?["ciphertext"]?.isNull == true)

        let path = "/api/v1/conversations/\(direct)/messages"
        let history = try app.call("GET", path + "?device_id=\(bobLaptop)", token: bob.token)
        #expect(plaintext(of: history.body["messages"]?[0]?["ciphertext"]) == "secret for \(bobLaptop)")
        #expect(try app.call("GET", path + "?device_id=\(annPhone)", token: bob.token).status == 422)
        #expect(try app.call("GET", path, token: bob.token).body["messages"]?[0]?["ciphertext"]?.isNull == true)
        let opened = try app.call("GET", "/api/v1/conversations/\(direct)?device_id=\(bobPhone)", token: bob.token)
        #expect(plaintext(of: opened.body["messages"]?[0]?["ciphertext"]) == "secret for \(bobPhone)")
        #expect(try app.call("GET", "/conversations/\(direct)?device_id=\(annPhone)", token: bob.token).status == 422)
    }

    @Test func theConversationBecomesEncryptedAndRefusesPlainMessages() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        #expect(try app.call("GET", "/api/v1/conversations/\(direct)", token: ann.token).body["e2ee"]?.boolValue == false)
        let bobPhone = try app.registerDevice(bob)
        #expect(try app.sendEncrypted(ann, direct, to: [bobPhone]).status == 201)
        #expect(try app.call("GET", "/api/v1/conversations/\(direct)", token: ann.token).body["e2ee"]?.boolValue == true)
        let plain = try app.call("POST", "/api/v1/conversations/\(direct)/messages", json: #"{"body":"hi"}"#, token: ann.token)
        #expect(plain.status == 409)
        #expect(plain.body["error"]?["code"]?.stringValue == "encryption_required")
    }

    @Test func ciphertextsForDevicesOfNonMembersAreRefusedAndNothingIsStored() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let direct = try app.direct(ann, bob)
        let bobPhone = try app.registerDevice(bob), evePhone = try app.registerDevice(eve)
        let refused = try app.sendEncrypted(ann, direct, to: [bobPhone, evePhone])
        #expect(refused.status == 422)
        #expect(refused.body["error"]?["details"]?[0]?["field"]?.stringValue == "ciphertexts.\(evePhone)")
        #expect(try app.sendEncrypted(ann, direct, to: ["424242"]).status == 422)
        let history = try app.call("GET", "/api/v1/conversations/\(direct)/messages", token: ann.token)
        #expect(history.body["messages"]?.arrayValue?.isEmpty == true)
        #expect(try app.call("GET", "/api/v1/conversations/\(direct)", token: ann.token).body["e2ee"]?.boolValue == false)
    }

    @Test func malformedAndOversizedCiphertextsAreValidationErrors() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let bobPhone = try app.registerDevice(bob)
        let path = "/api/v1/conversations/\(direct)/messages"
        let big = Base64.standard.encode([UInt8](repeating: 7, count: MessageRequests.maximumCiphertextBytes + 1))
        for body in [#"{"encrypted":true}"#, #"{"encrypted":true,"ciphertexts":{}}"#,
                     #"{"encrypted":true,"ciphertexts":{"\#(bobPhone)":"not base64!"}}"#,
                     #"{"encrypted":true,"ciphertexts":{"x":"AAAA"}}"#,
                     #"{"encrypted":true,"body":"plain","ciphertexts":{"\#(bobPhone)":"AAAA"}}"#,
                     #"{"encrypted":true,"ciphertexts":{"\#(bobPhone)":"\#(big)"}}"#] {
            #expect(try app.call("POST", path, json: body, token: ann.token).status == 422, "\(body.prefix(80))")
        }
    }

    @Test func ciphertextIsNeverSearchableAndSkipsTheWordFilter() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let path = directory + "/blocked.txt"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = write(fd, "forbidden\n", 10)
        close(fd)
        let app = try TestApp(environment: ["PACE_BLOCKED_WORDS_FILE": path])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let bobPhone = try app.registerDevice(bob)
        // The ciphertext is opaque to the server: base64 of a word it would otherwise block.
        #expect(try app.sendEncrypted(ann, direct, to: [bobPhone], text: { _ in "forbidden" }).status == 201)
        let found = try app.call("GET", "/api/v1/search/messages?q=forbidden", token: bob.token)
        #expect(found.body["messages"]?.arrayValue?.isEmpty == true)
        let encoded = Base64.standard.encode(Array("forbidden".utf8)).filter(\.isLetter)
        #expect(try app.call("GET", "/api/v1/search/messages?q=\(encoded)", token: bob.token)
            .body["messages"]?.arrayValue?.isEmpty == true)
    }

    @Test func replayCarriesTheDevicesCiphertext() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let bobPhone = try app.registerDevice(bob)
        let first = try app.send(ann, direct, "before encryption")
        let since = try #require(first["seq"]?.int64Value)
        #expect(try app.sendEncrypted(ann, direct, to: [bobPhone]).status == 201)
        let client = try ChatClient(app, token: bob.token, query: "since=\(since)&device_id=\(bobPhone)")
        let replayed = client.next("message.new")
        #expect(replayed?["message"]?["encrypted"]?.boolValue == true)
        #expect(plaintext(of: replayed?["message"]?["ciphertext"]) == "secret for \(bobPhone)")
    }

    @Test func encryptedMessagesCannotBeEditedAndLoseCiphertextsWhenDeleted() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let direct = try app.direct(ann, bob)
        let bobPhone = try app.registerDevice(bob)
        let sent = try app.sendEncrypted(ann, direct, to: [bobPhone])
        let id = try #require(sent.body["id"]?.stringValue)
        let path = "/api/v1/conversations/\(direct)/messages/\(id)"
        #expect(try app.call("PATCH", path, json: #"{"body":"x"}"#, token: ann.token).status == 409)
        #expect(try app.call("DELETE", path, token: ann.token).status == 204)
        let history = try app.call("GET", "/api/v1/conversations/\(direct)/messages?device_id=\(bobPhone)", token: bob.token)
        #expect(history.body["messages"]?[0]?["deleted"]?.boolValue == true)
        #expect(history.body["messages"]?[0]?["ciphertext"]?.isNull == true)
    }
}
