import PaceCrypto
import PaceJSON

/// A validated device registration: identity key, signed prekey (signature checked) and an
/// optional first batch of one-time prekeys.
package struct RegisterDevice: Sendable, Equatable {
    package var name: String
    package var identityKey: [UInt8]
    package var signedPrekey: SignedPrekey
    package var oneTimePrekeys: [OneTimePrekey]
}

/// Parsing and validation of key uploads. Keys travel as standard base64 (with padding).
/// The server checks each signed prekey: its signature must be the device identity key's
/// Ed25519 signature over `signedBytes`, 0x05 followed by the 32-byte X25519 public key (the
/// type-prefixed encoding the Signal protocol signs).
package enum KeyRequests {
    package static func signedBytes(_ publicKey: [UInt8]) -> [UInt8] {
        [0x05] + publicKey
    }

    package static func register(_ reader: JSONObjectReader) -> Result<RegisterDevice, APIError> {
        var reader = reader
        let name = reader.string("name") ?? ""
        if name.count > KeyLimits.maximumNameLength {
            reader.addProblem("name", "must be at most \(KeyLimits.maximumNameLength) characters")
        }
        let identityKey = key(&reader, "identity_key", length: Ed25519.publicKeyLength, required: true)
        let signed = signedPrekey(&reader, reader["signed_prekey"], field: "signed_prekey")
        let oneTime = oneTimePrekeys(&reader, required: false)
        guard reader.problems.isEmpty, let identityKey, let signed else { return .failure(.validation(reader.problems)) }
        if let refusal = verify(signed, identityKey: identityKey, field: "signed_prekey.signature") {
            return .failure(refusal)
        }
        return .success(RegisterDevice(name: name, identityKey: identityKey, signedPrekey: signed, oneTimePrekeys: oneTime))
    }

    /// A replacement signed prekey, checked against the device's stored identity key by the writer.
    package static func signedPrekey(_ reader: JSONObjectReader) -> Result<SignedPrekey, APIError> {
        var reader = reader
        guard let signed = signedPrekey(&reader, reader.object, field: nil), reader.problems.isEmpty else {
            return .failure(.validation(reader.problems))
        }
        return .success(signed)
    }

    package static func prekeyBatch(_ reader: JSONObjectReader) -> Result<[OneTimePrekey], APIError> {
        var reader = reader
        let keys = oneTimePrekeys(&reader, required: true)
        guard reader.problems.isEmpty else { return .failure(.validation(reader.problems)) }
        return .success(keys)
    }

    /// 422 `invalid_signature` unless `signed` carries `identityKey`'s signature.
    package static func verify(_ signed: SignedPrekey, identityKey: [UInt8], field: String) -> APIError? {
        guard Ed25519.isValidSignature(signed.signature, of: signedBytes(signed.publicKey), publicKey: identityKey) else {
            return APIError(422, "invalid_signature", "The signed prekey's signature does not verify with the identity key.",
                            details: [FieldProblem(field: field, problem: "must be the identity key's Ed25519 signature of 0x05 || public_key")])
        }
        return nil
    }

    private static func signedPrekey(_ reader: inout JSONObjectReader, _ value: JSONValue?, field: String?) -> SignedPrekey? {
        let prefix = field.map { "\($0)." } ?? ""
        guard let value, !value.isNull else {
            reader.addProblem(field ?? "body", JSONObjectReader.isRequired)
            return nil
        }
        guard var inner = JSONObjectReader(value) else {
            reader.addProblem(field ?? "body", "must be an object")
            return nil
        }
        let keyID = inner.int("key_id", required: true)
        if let keyID, keyID < 0 || keyID > Int64(UInt32.max) { inner.addProblem("key_id", "must be 0 to 4294967295") }
        let publicKey = key(&inner, "public_key", length: 32, required: true)
        let signature = key(&inner, "signature", length: Ed25519.signatureLength, required: true)
        for problem in inner.problems { reader.addProblem(prefix + problem.field, problem.problem) }
        guard inner.problems.isEmpty, let keyID, let publicKey, let signature else { return nil }
        return SignedPrekey(keyID: keyID, publicKey: publicKey, signature: signature)
    }

    private static func oneTimePrekeys(_ reader: inout JSONObjectReader, required: Bool) -> [OneTimePrekey] {
        guard let value = reader["one_time_prekeys"], !value.isNull else {
            if required { reader.addProblem("one_time_prekeys", JSONObjectReader.isRequired) }
            return []
        }
        guard let elements = value.arrayValue, elements.count <= KeyLimits.maximumBatch,
              !required || !elements.isEmpty else {
            reader.addProblem("one_time_prekeys", "must be an array of 1 to \(KeyLimits.maximumBatch) prekeys")
            return []
        }
        var keys: [OneTimePrekey] = []
        for (index, element) in elements.enumerated() {
            guard var inner = JSONObjectReader(element) else {
                reader.addProblem("one_time_prekeys[\(index)]", "must be an object")
                continue
            }
            let keyID = inner.int("key_id", required: true)
            if let keyID, keyID < 1 || keyID > Int64(UInt32.max) { inner.addProblem("key_id", "must be 1 to 4294967295") }
            let publicKey = key(&inner, "public_key", length: 32, required: true)
            for problem in inner.problems { reader.addProblem("one_time_prekeys[\(index)].\(problem.field)", problem.problem) }
            if inner.problems.isEmpty, let keyID, let publicKey { keys.append(OneTimePrekey(keyID: keyID, publicKey: publicKey)) }
        }
        if Set(keys.map(\.keyID)).count != keys.count {
            reader.addProblem("one_time_prekeys", "must not repeat a key_id")
        }
        return keys
    }

    /// Standard base64 of exactly `length` bytes.
    private static func key(_ reader: inout JSONObjectReader, _ field: String, length: Int, required: Bool) -> [UInt8]? {
        guard let text = reader.string(field, required: required) else { return nil }
        guard text.utf8.count <= 4 * length, let bytes = Base64.standard.decode(text), bytes.count == length else {
            reader.addProblem(field, "must be \(length) bytes in base64")
            return nil
        }
        return bytes
    }
}
