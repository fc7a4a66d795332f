import Testing
@testable import PaceCrypto

@Suite struct WebPushEncryptionTests {
    /// RFC 8291 Appendix A: the example push message, with its fixed sender key and salt.
    static let plaintext = Array("When I grow up, I want to be a watermelon".utf8)
    static let senderPrivate = url("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")
    static let senderPublic = url("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8")
    static let receiverPrivate = url("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94")
    static let receiverPublic = url("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4")
    static let salt = url("DGv6ra1nlYgDCS1FRnbzlw")
    static let authSecret = url("BTBZMqHH6r4Tts7J_aSIgg")
    static let body = url("""
        DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_\
        yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN
        """)

    static func url(_ text: String) -> [UInt8] {
        guard let bytes = Base64.url.decode(text) else { fatalError("bad test vector \(text)") }
        return bytes
    }

    @Test func rfc8291ExampleIsReproducedByteForByte() throws {
        let sender = try #require(P256PrivateKey(scalar: Self.senderPrivate))
        #expect(sender.publicKey == Self.senderPublic)
        let receiver = try #require(P256PublicKey(uncompressed: Self.receiverPublic))
        let body = WebPushEncryption.encrypt(Self.plaintext, receiver: receiver, authSecret: Self.authSecret,
                                             ephemeral: sender, salt: Self.salt)
        #expect(body == Self.body)
    }

    @Test func receiverDerivesTheSameKeysAndOpensTheRecord() throws {
        let receiverKey = try #require(P256PrivateKey(scalar: Self.receiverPrivate))
        let receiver = try #require(P256PublicKey(uncompressed: Self.receiverPublic))
        let body = try #require(WebPushEncryption.encrypt(Self.plaintext, receiver: receiver, authSecret: Self.authSecret))
        // The receiver's side of RFC 8291 §3.4 from the header alone.
        let salt = Array(body[0..<16])
        #expect(Array(body[16..<20]) == [0, 0, 0x10, 0])
        #expect(body[20] == 65)
        let senderPublic = try #require(P256PublicKey(uncompressed: Array(body[21..<86])))
        let shared = receiverKey.sharedSecret(with: senderPublic)
        let keyInfo = Array("WebPush: info".utf8) + [0] + Self.receiverPublic + senderPublic.bytes
        let inputKey = HKDF.sha256(salt: Self.authSecret, inputKey: shared, info: keyInfo, length: 32)
        let key = HKDF.sha256(salt: salt, inputKey: inputKey, info: Array("Content-Encoding: aes128gcm".utf8) + [0], length: 16)
        let nonce = HKDF.sha256(salt: salt, inputKey: inputKey, info: Array("Content-Encoding: nonce".utf8) + [0], length: 12)
        let record = try #require(AES128GCM.open(Array(body[86...]), key: key, nonce: nonce))
        #expect(record == Self.plaintext + [2])
        // A fresh salt and key every time: the same message never encrypts the same way twice.
        #expect(WebPushEncryption.encrypt(Self.plaintext, receiver: receiver, authSecret: Self.authSecret) != body)
    }

    @Test func oversizedPlaintextOrWrongSecretIsRefused() throws {
        let receiver = try #require(P256PublicKey(uncompressed: Self.receiverPublic))
        let largest = [UInt8](repeating: 65, count: WebPushEncryption.maxPlaintext)
        #expect(WebPushEncryption.encrypt(largest, receiver: receiver, authSecret: Self.authSecret)?.count == 4096)
        #expect(WebPushEncryption.encrypt(largest + [65], receiver: receiver, authSecret: Self.authSecret) == nil)
        #expect(WebPushEncryption.encrypt([], receiver: receiver, authSecret: Array(Self.authSecret.dropLast())) == nil)
    }
}

@Suite struct P256Tests {
    @Test func pointsOffTheCurveOrMalformedAreRefused() {
        var point = WebPushEncryptionTests.receiverPublic
        #expect(P256PublicKey(uncompressed: point) != nil)
        point[40] ^= 1
        #expect(P256PublicKey(uncompressed: point) == nil)
        #expect(P256PublicKey(uncompressed: Array(WebPushEncryptionTests.receiverPublic.dropLast())) == nil)
        var compressedTag = WebPushEncryptionTests.receiverPublic
        compressedTag[0] = 2
        #expect(P256PublicKey(uncompressed: compressedTag) == nil)
        #expect(P256PublicKey(uncompressed: [4] + [UInt8](repeating: 0, count: 64)) == nil)
    }

    @Test func scalarsOutOfRangeAreRefused() {
        #expect(P256PrivateKey(scalar: [UInt8](repeating: 0, count: 32)) == nil)
        #expect(P256PrivateKey(scalar: [UInt8](repeating: 0xff, count: 32)) == nil)
        #expect(P256PrivateKey(scalar: [1]) == nil)
    }

    @Test func generatedKeyRoundTripsThroughItsScalar() throws {
        let key = P256PrivateKey()
        let again = try #require(P256PrivateKey(scalar: key.scalar))
        #expect(again.publicKey == key.publicKey)
        #expect(key.publicKey.count == 65 && key.publicKey[0] == 4)
    }

    @Test func ecdhAgreesBothWays() throws {
        let a = P256PrivateKey()
        let b = P256PrivateKey()
        let aPublic = try #require(P256PublicKey(uncompressed: a.publicKey))
        let bPublic = try #require(P256PublicKey(uncompressed: b.publicKey))
        #expect(a.sharedSecret(with: bPublic) == b.sharedSecret(with: aPublic))
        #expect(a.sharedSecret(with: bPublic).count == 32)
    }

    @Test func es256SignaturesVerifyAndTamperingIsCaught() throws {
        let key = P256PrivateKey()
        let publicKey = try #require(P256PublicKey(uncompressed: key.publicKey))
        let message = Array("header.claims".utf8)
        let signature = key.signES256(message)
        #expect(signature.count == 64)
        #expect(publicKey.isValidES256(signature: signature, of: message))
        var tampered = signature
        tampered[5] ^= 1
        #expect(!publicKey.isValidES256(signature: tampered, of: message))
        #expect(!publicKey.isValidES256(signature: signature, of: message + [0]))
        #expect(!publicKey.isValidES256(signature: Array(signature.dropLast()), of: message))
    }
}

@Suite struct HKDFAndGCMTests {
    /// RFC 5869 Appendix A.1.
    @Test func rfc5869TestCase1() {
        let okm = HKDF.sha256(salt: Array(0...12), inputKey: [UInt8](repeating: 0x0b, count: 22), info: Array(0xf0...0xf9),
                              length: 42)
        #expect(Hex.encode(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func sealedRecordsOpenAndTamperingIsCaught() {
        let key = [UInt8](repeating: 7, count: 16)
        let nonce = [UInt8](repeating: 9, count: 12)
        let sealed = AES128GCM.seal(Array("hello".utf8), key: key, nonce: nonce)
        #expect(sealed.count == 5 + 16)
        #expect(AES128GCM.open(sealed, key: key, nonce: nonce) == Array("hello".utf8))
        var tampered = sealed
        tampered[0] ^= 1
        #expect(AES128GCM.open(tampered, key: key, nonce: nonce) == nil)
        #expect(AES128GCM.open(sealed, key: [UInt8](repeating: 8, count: 16), nonce: nonce) == nil)
        #expect(AES128GCM.open(AES128GCM.seal([], key: key, nonce: nonce), key: key, nonce: nonce) == [])
    }
}
