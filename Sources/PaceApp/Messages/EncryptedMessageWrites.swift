import PaceJSON
import PaceStore

/// The encrypted half of `MessageWrites.send`: the conversation's E2EE state, recipient
/// devices, and the per-device ciphertexts and event.
extension MessageWrites {
    /// Refuses a plain message in an end-to-end encrypted conversation and a ciphertext for a
    /// device that is not a member's; answers each recipient device's owner.
    static func checkEncryption(_ db: any StoreTransaction, conversationID: Int64, _ message: SendMessage,
                                kind: MessageKind) throws(StoreError) -> Result<[Int64: Int64], APIError> {
        guard message.encrypted else {
            let e2ee = try db.queryFirst("SELECT e2ee FROM conversations WHERE id = ?1", [.integer(conversationID)]) {
                $0.bool(0)
            } ?? false
            guard !e2ee || kind == .missedCall else {
                return .failure(.conflict("encryption_required", "This conversation is end-to-end encrypted; send encrypted messages."))
            }
            return .success([:])
        }
        let ids = message.ciphertexts.map(\.deviceID)
        let rows = try db.query("""
            SELECT d.id, d.user_id FROM devices d
            JOIN members m ON m.user_id = d.user_id AND m.conversation_id = ?1
            WHERE d.id IN (SELECT value FROM json_each(?2))
            """, [.integer(conversationID), .text(MessageQueries.idList(ids))]) { ($0.int64(0), $0.int64(1)) }
        let owners = Dictionary(rows, uniquingKeysWith: { first, _ in first })
        let foreign = ids.filter { owners[$0] == nil }
        guard foreign.isEmpty else {
            return .failure(.validation(foreign.map {
                FieldProblem(field: "ciphertexts.\($0)", problem: "must be a device of a member of this conversation")
            }))
        }
        return .success(owners)
    }

    /// Stores each device's ciphertext and builds the event: the message once without a
    /// ciphertext, and once per recipient device with its own.
    static func storeCiphertexts(_ db: any StoreTransaction, _ stored: MessageRecord, _ ciphertexts: [DeviceCiphertext],
                                 owners: [Int64: Int64], json: [UInt8]) throws(StoreError) -> MessageChange {
        var perDevice: [DeviceMessage] = []
        perDevice.reserveCapacity(ciphertexts.count)
        for entry in ciphertexts {
            try db.run("INSERT INTO message_ciphertexts (message_id, device_id, ciphertext) VALUES (?1, ?2, ?3)",
                       [.integer(stored.id), .integer(entry.deviceID), .blob(entry.ciphertext)])
            var copy = stored
            copy.ciphertext = entry.ciphertext
            perDevice.append(DeviceMessage(userID: owners[entry.deviceID] ?? 0, deviceID: entry.deviceID,
                                           message: MessageEncoder.encode(copy)))
        }
        return MessageChange(json: json, created: true, event: .encryptedMessageCreated(
            conversationID: stored.conversationID, messageID: stored.id, seq: stored.seq, senderID: stored.senderID,
            message: json, ciphertexts: perDevice))
    }
}
