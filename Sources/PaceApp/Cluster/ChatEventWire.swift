/// `ChatEvent` as bytes for the other instances. One tag byte per case, then its fields in
/// declaration order; the JSON payloads travel as they are, already encoded once.
enum ChatEventWire {
    static func encode(_ event: ChatEvent, into writer: inout WireWriter) {
        switch event {
        case let .messageCreated(conversation, message, seq, sender, json):
            writer.byte(1)
            for value in [conversation, message, seq, sender] { writer.int(value) }
            writer.blob(json)
        case let .encryptedMessageCreated(conversation, message, seq, sender, json, ciphertexts):
            writer.byte(2)
            for value in [conversation, message, seq, sender] { writer.int(value) }
            writer.blob(json)
            writer.int(Int64(ciphertexts.count))
            for device in ciphertexts {
                writer.int(device.userID)
                writer.int(device.deviceID)
                writer.blob(device.message)
            }
        case let .messageUpdated(conversation, version, json):
            writer.byte(3)
            writer.int(conversation)
            writer.int(version)
            writer.blob(json)
        case let .messageDeleted(conversation, version, json):
            writer.byte(4)
            writer.int(conversation)
            writer.int(version)
            writer.blob(json)
        case let .reaction(conversation, message, emoji, user, added, version, json):
            writer.byte(5)
            writer.int(conversation)
            writer.int(message)
            writer.text(emoji)
            writer.int(user)
            writer.byte(added ? 1 : 0)
            writer.int(version)
            writer.blob(json)
        case let .read(conversation, user, message, seq):
            writer.byte(6)
            for value in [conversation, user, message, seq] { writer.int(value) }
        case let .conversationUpdated(conversation, members, removed, json):
            writer.byte(7)
            writer.int(conversation)
            writer.ints(members)
            writer.ints(removed)
            writer.blob(json)
        case let .keysChanged(user, change):
            writer.byte(8)
            writer.int(user)
            writer.blob(change)
        case let .keysLow(devices):
            writer.byte(9)
            writer.int(Int64(devices.count))
            for device in devices {
                writer.int(device.userID)
                writer.int(device.deviceID)
                writer.int(Int64(device.remaining))
            }
        }
    }

    /// The event, or nil when the bytes are not one (truncated, unknown tag, trailing bytes).
    static func decode(_ reader: inout WireReader) -> ChatEvent? {
        guard let tag = reader.byte() else { return nil }
        switch tag {
        case 1:
            guard let c = reader.int(), let m = reader.int(), let s = reader.int(), let u = reader.int(),
                  let json = reader.blob() else { return nil }
            return .messageCreated(conversationID: c, messageID: m, seq: s, senderID: u, message: json)
        case 2:
            guard let c = reader.int(), let m = reader.int(), let s = reader.int(), let u = reader.int(),
                  let json = reader.blob(), let count = reader.int(), count >= 0 else { return nil }
            var devices: [DeviceMessage] = []
            for _ in 0..<count {
                guard let user = reader.int(), let device = reader.int(), let body = reader.blob() else { return nil }
                devices.append(DeviceMessage(userID: user, deviceID: device, message: body))
            }
            return .encryptedMessageCreated(conversationID: c, messageID: m, seq: s, senderID: u, message: json,
                                            ciphertexts: devices)
        case 3, 4:
            guard let c = reader.int(), let v = reader.int(), let json = reader.blob() else { return nil }
            return tag == 3 ? .messageUpdated(conversationID: c, version: v, message: json)
                            : .messageDeleted(conversationID: c, version: v, message: json)
        case 5:
            guard let c = reader.int(), let m = reader.int(), let emoji = reader.text(), let u = reader.int(),
                  let added = reader.byte(), let v = reader.int(), let json = reader.blob() else { return nil }
            return .reaction(conversationID: c, messageID: m, emoji: emoji, userID: u, added: added == 1, version: v,
                             message: json)
        case 6:
            guard let c = reader.int(), let u = reader.int(), let m = reader.int(), let s = reader.int() else { return nil }
            return .read(conversationID: c, userID: u, messageID: m, seq: s)
        case 7:
            guard let c = reader.int(), let members = reader.ints(), let removed = reader.ints(),
                  let json = reader.blob() else { return nil }
            return .conversationUpdated(conversationID: c, memberIDs: members, removedIDs: removed, conversation: json)
        case 8:
            guard let u = reader.int(), let change = reader.blob() else { return nil }
            return .keysChanged(userID: u, change: change)
        case 9:
            guard let count = reader.int(), count >= 0 else { return nil }
            var devices: [LowPrekeys] = []
            for _ in 0..<count {
                guard let user = reader.int(), let device = reader.int(), let left = reader.int() else { return nil }
                devices.append(LowPrekeys(userID: user, deviceID: device, remaining: Int(left)))
            }
            return .keysLow(devices)
        default:
            return nil
        }
    }
}
