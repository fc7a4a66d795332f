import PaceApp
import PaceCrypto
import PaceJSON
import PaceStore
import PaceSystem
import Synchronization
import Testing

@Suite("Devices, prekeys and claims")
struct KeyServiceTests {
    @Test func registrationVerifiesTheSignedPrekeyAndStoresNothingWhenForged() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let forged = try app.call("POST", "/api/v1/devices", json: TestDevice().registration(prekeys: 1...5, forge: true),
                                  token: ann.token)
        #expect(forged.status == 422)
        #expect(forged.body["error"]?["code"]?.stringValue == "invalid_signature")
        let listed = try app.call("GET", "/api/v1/devices", token: ann.token)
        #expect(listed.body["devices"]?.arrayValue?.isEmpty == true)

        let good = try app.call("POST", "/api/v1/devices", json: TestDevice().registration(prekeys: 1...5), token: ann.token)
        #expect(good.status == 201)
        #expect(good.body["one_time_prekey_count"]?.int64Value == 5)
        #expect(try app.call("GET", "/api/v1/devices", token: ann.token).body["devices"]?.arrayValue?.count == 1)
    }

    @Test func malformedKeysAreValidationErrors() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        for body in [#"{}"#, #"{"identity_key":"AAAA","signed_prekey":{}}"#,
                     #"{"identity_key":"\#(Base64.standard.encode([UInt8](repeating: 1, count: 32)))","signed_prekey":"x"}"#] {
            #expect(try app.call("POST", "/api/v1/devices", json: body, token: ann.token).status == 422)
        }
    }

    @Test func rotatingTheSignedPrekeyChecksItWithTheStoredIdentity() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let device = TestDevice()
        let id = try #require(try app.call("POST", "/api/v1/devices", json: device.registration(), token: ann.token).body["id"]?.stringValue)
        let path = "/api/v1/devices/\(id)/signed-prekey"
        #expect(try app.call("PUT", path, json: TestDevice().signedPrekey(keyID: 2), token: ann.token).status == 422)
        #expect(try app.call("PUT", path, json: device.signedPrekey(keyID: 2, forge: true), token: ann.token).status == 422)
        let rotated = try app.call("PUT", path, json: device.signedPrekey(keyID: 2), token: ann.token)
        #expect(rotated.status == 200)
        #expect(rotated.body["signed_prekey"]?["key_id"]?.int64Value == 2)
        let bob = try app.makeUser("bob")
        #expect(try app.call("PUT", path, json: device.signedPrekey(keyID: 3), token: bob.token).status == 404)
    }

    @Test func reusedPrekeyIdsAreRefusedEvenAfterTheyWereClaimed() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        _ = try app.direct(ann, bob)
        let device = try app.registerDevice(ann, prekeys: 1...3)
        let path = "/api/v1/devices/\(device)/prekeys"
        let reused = try app.call("POST", path, json: #"{"one_time_prekeys":\#(TestDevice.prekeys(3...4))}"#, token: ann.token)
        #expect(reused.status == 409)
        #expect(reused.body["error"]?["code"]?.stringValue == "prekey_id_reused")
        let duplicate = try app.call("POST", path, json: #"{"one_time_prekeys":\#(TestDevice.prekeys(5...5).dropLast())\#(",")\#(TestDevice.prekeys(5...5).dropFirst())}"#, token: ann.token)
        #expect(duplicate.status == 422)
        #expect(try app.claim(bob, devices: [device]).status == 200)
        let afterClaim = try app.call("POST", path, json: #"{"one_time_prekeys":\#(TestDevice.prekeys(1...1))}"#, token: ann.token)
        #expect(afterClaim.status == 409)
        let fresh = try app.call("POST", path, json: #"{"one_time_prekeys":\#(TestDevice.prekeys(4...6))}"#, token: ann.token)
        #expect(fresh.status == 200)
        #expect(fresh.body["one_time_prekey_count"]?.int64Value == 5)
        #expect(try app.call("POST", path, json: #"{"one_time_prekeys":\#(TestDevice.prekeys(7...7))}"#, token: bob.token).status == 404)
    }

    @Test func claimsHandOutEachKeyOnceThenTheSignedPrekey() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        _ = try app.direct(ann, bob)
        let device = try app.registerDevice(ann, prekeys: 1...2)
        let first = try app.claim(bob, devices: [device])
        #expect(first.body["bundles"]?[0]?["one_time_prekey"]?["key_id"]?.int64Value == 1)
        #expect(first.body["bundles"]?[0]?["signed_prekey"]?["signature"]?.stringValue != nil)
        #expect(try app.claim(bob, devices: [device]).body["bundles"]?[0]?["one_time_prekey"]?["key_id"]?.int64Value == 2)
        let exhausted = try app.claim(bob, devices: [device])
        #expect(exhausted.status == 200)
        #expect(exhausted.body["bundles"]?[0]?["one_time_prekey"]?.isNull == true)
        #expect(exhausted.body["bundles"]?[0]?["identity_key"]?.stringValue != nil)
    }

    @Test func concurrentClaimsNeverReturnTheSameKey() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        _ = try app.direct(ann, bob)
        let device = try app.registerDevice(ann, prekeys: 1...40)
        let keys = Mutex<[Int64]>([])
        var threads: [OSThread] = []
        for _ in 0..<8 {
            threads.append(try OSThread(name: "claim") {
                for _ in 0..<6 {
                    let answer = try? app.claim(bob, devices: [device])
                    if let key = answer?.body["bundles"]?[0]?["one_time_prekey"]?["key_id"]?.int64Value {
                        keys.withLock { $0.append(key) }
                    }
                }
            })
        }
        for thread in threads { thread.join() }
        let claimed = keys.withLock { $0 }
        #expect(claimed.count == 40)
        #expect(Set(claimed).count == claimed.count)
    }

    @Test func strangersCannotClaimOrSeeUnknownDevices() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), eve = try app.makeUser("eve")
        let device = try app.registerDevice(ann)
        #expect(try app.claim(eve, devices: [device]).status == 404)
        #expect(try app.claim(eve, devices: ["999"]).status == 404)
        #expect(try app.call("POST", "/api/v1/keys/claim", json: #"{"user_ids":["\#(ann.id)"]}"#, token: eve.token).status == 404)
        #expect(try app.call("POST", "/api/v1/keys/claim", json: #"{}"#, token: eve.token).status == 422)
    }

    @Test func keyChangesAreLoggedAndPublishedToContacts() throws {
        let app = try TestApp()
        let recorder = EventRecorder(app)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        _ = try app.direct(ann, bob)
        let device = try app.registerDevice(ann)
        #expect(try app.call("DELETE", "/api/v1/devices/\(device)", token: ann.token).status == 204)
        #expect(try app.call("DELETE", "/api/v1/devices/\(device)", token: ann.token).status == 404)
        let log = try app.call("GET", "/api/v1/users/\(ann.id)/key-changes", token: bob.token)
        #expect(log.status == 200)
        #expect(log.body["key_changes"]?.arrayValue?.compactMap { $0["change"]?.stringValue } == ["added", "removed"])
        #expect(log.body["key_changes"]?[0]?["device_id"]?.stringValue == device)
        let after = try #require(log.body["key_changes"]?[0]?["id"]?.stringValue)
        #expect(try app.call("GET", "/api/v1/users/\(ann.id)/key-changes?after=\(after)", token: bob.token)
            .body["key_changes"]?.arrayValue?.count == 1)
        #expect(try app.call("GET", "/api/v1/users/999/key-changes", token: bob.token).status == 404)
        let published = recorder.all.compactMap { event -> Int64? in
            if case .keysChanged(let user, _) = event { return user }
            return nil
        }
        #expect(published == [ann.id, ann.id])
    }

    @Test func keysLowIsSentOnceWhenAClaimCrossesTheThreshold() throws {
        let app = try TestApp()
        let recorder = EventRecorder(app)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        _ = try app.direct(ann, bob)
        let device = try app.registerDevice(ann, prekeys: 1...(KeyLimits.lowThreshold + 1))
        for _ in 0..<3 { _ = try app.claim(bob, devices: [device]) }
        let lows = recorder.all.compactMap { event -> [LowPrekeys]? in
            if case .keysLow(let devices) = event { return devices }
            return nil
        }
        #expect(lows.count == 1)
        #expect(lows.first?.first?.remaining == KeyLimits.lowThreshold - 1)
    }

    @Test func keyEventsReachTheDeviceAndTheContactsSockets() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        _ = try app.direct(ann, bob)
        let contact = try ChatClient(app, token: bob.token), stranger = try ChatClient(app, token: eve.token)
        for client in [contact, stranger] { _ = client.next("hello") }
        let device = try app.registerDevice(ann, prekeys: 1...KeyLimits.lowThreshold)
        let changed = contact.next("keys.changed")
        #expect(changed?["change"]?["device_id"]?.stringValue == device)
        #expect(changed?["change"]?["change"]?.stringValue == "added")
        #expect(!stranger.receives("keys.changed", within: 200))

        let owner = try ChatClient(app, token: ann.token, query: "device_id=\(device)")
        let otherDevice = try ChatClient(app, token: ann.token)
        for client in [owner, otherDevice] { _ = client.next("hello") }
        _ = try app.claim(bob, devices: [device])
        let low = owner.next("keys.low")
        #expect(low?["device_id"]?.stringValue == device)
        #expect(low?["remaining"]?.int64Value == Int64(KeyLimits.lowThreshold - 1))
        #expect(!otherDevice.receives("keys.low", within: 200))
    }
}
