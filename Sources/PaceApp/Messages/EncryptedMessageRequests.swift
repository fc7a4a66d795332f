import PaceCrypto
import PaceJSON

/// Encrypted sends: `{"encrypted": true, "ciphertexts": {device_id: base64, ...}}` with no
/// body. The server never sees the text, so the blocked-words filter does not apply; the writer
/// checks that every device belongs to a member of the conversation.
extension MessageRequests {
    package static let maximumCiphertexts = 256
    /// Decoded bytes per device: a 4,000-character body of 4-byte characters plus the
    /// ratchet's header and tag, with room to spare.
    package static let maximumCiphertextBytes = 24 * 1024

    static func encrypted(_ fields: JSONObjectReader) -> Result<SendMessage, APIError> {
        var reader = fields
        if let body = reader.string("body"), !body.isEmpty {
            reader.addProblem("body", "must be empty or absent for an encrypted message")
        }
        let clientID = reader.string("client_id")
        if let clientID, !(1...maximumClientIDLength).contains(clientID.count) {
            reader.addProblem("client_id", "must be 1 to \(maximumClientIDLength) characters")
        }
        var replyToID: Int64?
        if let value = reader["reply_to_id"], !value.isNull {
            replyToID = ConversationRequests.id(value)
            if replyToID == nil { reader.addProblem("reply_to_id", "must be a message id") }
        }
        let attachmentIDs = attachments(&reader)
        let ciphertexts = ciphertexts(&reader)
        guard reader.problems.isEmpty else { return .failure(.validation(reader.problems)) }
        return .success(SendMessage(body: "", clientID: clientID, replyToID: replyToID, attachmentIDs: attachmentIDs,
                                    ciphertexts: ciphertexts))
    }

    private static func ciphertexts(_ reader: inout JSONObjectReader) -> [DeviceCiphertext] {
        guard let value = reader["ciphertexts"], !value.isNull else {
            reader.addProblem("ciphertexts", JSONObjectReader.isRequired)
            return []
        }
        guard let members = value.objectValue, (1...maximumCiphertexts).contains(members.count) else {
            reader.addProblem("ciphertexts", "must be an object of 1 to \(maximumCiphertexts) device ids to base64 ciphertexts")
            return []
        }
        var result: [DeviceCiphertext] = []
        var seen = Set<Int64>()
        for member in members {
            let field = "ciphertexts.\(member.key.prefix(32))"
            guard let deviceID = ResourceID.parse(member.key), seen.insert(deviceID).inserted else {
                reader.addProblem(field, "must be a device id, once")
                continue
            }
            guard let text = member.value.stringValue, text.utf8.count <= (maximumCiphertextBytes + 2) / 3 * 4,
                  let bytes = Base64.standard.decode(text), !bytes.isEmpty else {
                reader.addProblem(field, "must be 1 to \(maximumCiphertextBytes) bytes in base64")
                continue
            }
            result.append(DeviceCiphertext(deviceID: deviceID, ciphertext: bytes))
        }
        return result
    }
}
