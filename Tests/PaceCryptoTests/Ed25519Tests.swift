import Testing
@testable import PaceCrypto

@Suite struct Ed25519Tests {
    /// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
    static let seed1 = bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    static let public1 = bytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    static let signature1 = bytes(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")

    @Test func rfc8032VectorVerifiesAndSignsIdentically() {
        #expect(Ed25519.publicKey(seed: Self.seed1) == Self.public1)
        #expect(Ed25519.sign([], seed: Self.seed1) == Self.signature1)
        #expect(Ed25519.isValidSignature(Self.signature1, of: [], publicKey: Self.public1))
    }

    @Test func tamperedSignatureMessageOrKeyIsRefused() {
        var signature = Self.signature1
        signature[10] ^= 1
        #expect(!Ed25519.isValidSignature(signature, of: [], publicKey: Self.public1))
        #expect(!Ed25519.isValidSignature(Self.signature1, of: [0], publicKey: Self.public1))
        var key = Self.public1
        key[0] ^= 1
        #expect(!Ed25519.isValidSignature(Self.signature1, of: [], publicKey: key))
    }

    @Test func malformedLengthsAreNotValid() {
        #expect(!Ed25519.isValidSignature(Array(Self.signature1.dropLast()), of: [], publicKey: Self.public1))
        #expect(!Ed25519.isValidSignature(Self.signature1, of: [], publicKey: Array(Self.public1.dropLast())))
        #expect(!Ed25519.isValidSignature([], of: [], publicKey: []))
    }

    @Test func roundTripOverAMessage() {
        let seed = SecureRandom.bytes(32)
        let message = Array("pace".utf8)
        let signature = Ed25519.sign(message, seed: seed)
        #expect(Ed25519.isValidSignature(signature, of: message, publicKey: Ed25519.publicKey(seed: seed)))
    }
}

private func bytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) ?? 0 }
}

@Suite struct HMACSHA1Tests {
    /// RFC 2202 §3, test cases 1 and 2.
    @Test func rfc2202Vectors() {
        #expect(Hex.encode(HMAC.sha1(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
            == "b617318655057264e28bc0b6fb378c8ef146be00")
        #expect(Hex.encode(HMAC.sha1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
            == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }
}
