/// Message encryption for Web Push (RFC 8291) in the `aes128gcm` content coding (RFC 8188):
/// ECDH between a fresh key pair and the browser's `p256dh` key, mixed with its `auth` secret
/// through HKDF-SHA256, sealing one record with AES-128-GCM. Every primitive is libcrypto's.
package enum WebPushEncryption {
    /// The record size written in the header; one record carries the whole message.
    package static let recordSize = 4096
    package static let authSecretLength = 16
    package static let saltLength = 16
    /// The header: salt, record size (4), key id length (1) and the sender's public key.
    package static let headerLength = saltLength + 4 + 1 + P256PublicKey.length
    /// The largest plaintext that keeps the body within the 4096 bytes push services accept:
    /// 4096 − header − tag − the padding delimiter (RFC 8291 §4: 3993).
    package static let maxPlaintext = recordSize - headerLength - AES128GCM.tagLength - 1

    /// The body to POST to the push service, or nil when `plaintext` is over `maxPlaintext` or
    /// `authSecret` is not 16 bytes. `ephemeral` and `salt` are fresh per message; tests fix
    /// them to reproduce RFC 8291's example.
    package static func encrypt(_ plaintext: [UInt8], receiver: P256PublicKey, authSecret: [UInt8],
                                ephemeral: P256PrivateKey = P256PrivateKey(),
                                salt: [UInt8] = SecureRandom.bytes(saltLength)) -> [UInt8]? {
        guard plaintext.count <= maxPlaintext, authSecret.count == authSecretLength, salt.count == saltLength else {
            return nil
        }
        let shared = ephemeral.sharedSecret(with: receiver)
        let keyInfo = Array("WebPush: info".utf8) + [0] + receiver.bytes + ephemeral.publicKey
        let inputKey = HKDF.sha256(salt: authSecret, inputKey: shared, info: keyInfo, length: 32)
        let contentKey = HKDF.sha256(salt: salt, inputKey: inputKey, info: Array("Content-Encoding: aes128gcm".utf8) + [0],
                                     length: AES128GCM.keyLength)
        let nonce = HKDF.sha256(salt: salt, inputKey: inputKey, info: Array("Content-Encoding: nonce".utf8) + [0],
                                length: AES128GCM.nonceLength)
        // The last (and only) record ends with the delimiter 0x02 and no further padding.
        let sealed = AES128GCM.seal(plaintext + [2], key: contentKey, nonce: nonce)
        var body: [UInt8] = []
        body.reserveCapacity(headerLength + sealed.count)
        body += salt
        body += [UInt8(truncatingIfNeeded: recordSize >> 24), UInt8(truncatingIfNeeded: recordSize >> 16),
                 UInt8(truncatingIfNeeded: recordSize >> 8), UInt8(truncatingIfNeeded: recordSize)]
        body.append(UInt8(P256PublicKey.length))
        body += ephemeral.publicKey
        body += sealed
        return body
    }
}
