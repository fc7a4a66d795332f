/// A stored change that members of a conversation should see in real time. Payloads carry
/// their JSON already encoded, once, so the hub writes the same bytes to every recipient.
package enum ChatEvent: Sendable {
    /// A new message; `message` is the Message object's JSON.
    case messageCreated(conversationID: Int64, messageID: Int64, seq: Int64, senderID: Int64, message: [UInt8])
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
}
