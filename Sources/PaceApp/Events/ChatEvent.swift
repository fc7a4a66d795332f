/// A stored change that members of a conversation should see in real time. Payloads carry
/// their JSON already encoded, once, so the hub writes the same bytes to every recipient.
package enum ChatEvent: Sendable {
    /// A new message; `message` is the Message object's JSON.
    case messageCreated(conversationID: Int64, messageID: Int64, seq: Int64, senderID: Int64, message: [UInt8])
    /// A new end-to-end encrypted message: `message` is its JSON without a ciphertext (for
    /// sockets that declared no recipient device), `ciphertexts` the same message as each
    /// recipient device sees it, with only that device's ciphertext.
    case encryptedMessageCreated(conversationID: Int64, messageID: Int64, seq: Int64, senderID: Int64, message: [UInt8],
                                 ciphertexts: [DeviceMessage])
    /// An edit made the message's `version` move.
    case messageUpdated(conversationID: Int64, version: Int64, message: [UInt8])
    /// A deletion; the Message object is the deleted form (no body, no attachments).
    case messageDeleted(conversationID: Int64, version: Int64, message: [UInt8])
    /// `userID` added or removed `emoji`. Like an edit it moved the message's `version`, so it
    /// carries the Message object too: live clients get the `reaction` frame, replay after
    /// `?since=` gets `message.updated`.
    case reaction(conversationID: Int64, messageID: Int64, emoji: String, userID: Int64, added: Bool,
                  version: Int64, message: [UInt8])
    /// `userID` read up to `messageID` (its seq is `seq`).
    case read(conversationID: Int64, userID: Int64, messageID: Int64, seq: Int64)
    /// Created, renamed or membership changed. `memberIDs` are the members after the change;
    /// `removedIDs` lost access with it. `conversation` is the Conversation object's JSON
    /// without the per-caller `unread_count` (members, title and `last_message` included).
    case conversationUpdated(conversationID: Int64, memberIDs: [Int64], removedIDs: [Int64], conversation: [UInt8])
    /// A device of `userID` was added or removed; `change` is the KeyChange JSON. It goes to
    /// everyone sharing a conversation with them, and to them.
    case keysChanged(userID: Int64, change: [UInt8])
    /// Claims left these devices short of one-time prekeys; each hears `keys.low`.
    case keysLow([LowPrekeys])
}

/// An encrypted message as one recipient device sees it.
package struct DeviceMessage: Sendable {
    package var userID: Int64
    package var deviceID: Int64
    package var message: [UInt8]
}
