import PaceApp
import PaceCrypto
import PaceJSON
import Testing

/// A client device's keys for tests: an Ed25519 identity and random stand-ins for the X25519
/// prekeys (the server stores those as opaque 32-byte public keys).
struct TestDevice {
    let seed = SecureRandom.bytes(32)
    var identityKey: [UInt8] { Ed25519.publicKey(seed: seed) }

    func signedPrekey(keyID: Int = 1, forge: Bool = false) -> String {
        let publicKey = SecureRandom.bytes(32)
        var signature = Ed25519.sign(KeyRequests.signedBytes(publicKey), seed: seed)
        if forge { signature[0] ^= 0x40 }
        return #"{"key_id":\#(keyID),"public_key":"\#(Base64.standard.encode(publicKey))","signature":"\#(Base64.standard.encode(signature))"}"#
    }

    static func prekeys(_ ids: ClosedRange<Int>) -> String {
        "[" + ids.map { #"{"key_id":\#($0),"public_key":"\#(Base64.standard.encode(SecureRandom.bytes(32)))"}"# }
            .joined(separator: ",") + "]"
    }

    func registration(prekeys: ClosedRange<Int>? = nil, forge: Bool = false) -> String {
        var json = #"{"name":"phone","identity_key":"\#(Base64.standard.encode(identityKey))","signed_prekey":\#(signedPrekey(forge: forge))"#
        if let prekeys { json += #","one_time_prekeys":\#(Self.prekeys(prekeys))"# }
        return json + "}"
    }
}

extension TestApp {
    /// Registers a device for `user` and answers its id.
    func registerDevice(_ user: TestUser, prekeys: ClosedRange<Int>? = 1...20) throws -> String {
        let answer = try call("POST", "/api/v1/devices", json: TestDevice().registration(prekeys: prekeys), token: user.token)
        try #require(answer.status == 201, "\(answer.body)")
        return try #require(answer.body["id"]?.stringValue)
    }

    func claim(_ caller: TestUser, devices: [String]) throws -> (status: Int, body: JSONValue) {
        let list = devices.map { "\"\($0)\"" }.joined(separator: ",")
        return try call("POST", "/api/v1/keys/claim", json: #"{"device_ids":[\#(list)]}"#, token: caller.token)
    }

    /// Sends an encrypted message whose ciphertext for each device is `text(device)` in base64.
    func sendEncrypted(_ sender: TestUser, _ conversation: String, to devices: [String],
                       text: (String) -> String = { "secret for \($0)" }) throws -> (status: Int, body: JSONValue) {
        let map = devices.map { #""\#($0)":"\#(Base64.standard.encode(Array(text($0).utf8)))""# }.joined(separator: ",")
        return try call("POST", "/api/v1/conversations/\(conversation)/messages",
                        json: #"{"encrypted":true,"ciphertexts":{\#(map)}}"#, token: sender.token)
    }
}

/// The text a base64 ciphertext of `sendEncrypted` decodes to.
func plaintext(of value: JSONValue?) -> String? {
    guard let text = value?.stringValue, let bytes = Base64.standard.decode(text) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}
