import PaceStore

/// A stored message with what the API shows of it: attachments and reactions.
package struct MessageRecord: Sendable, Equatable {
    package var id: Int64
    package var seq: Int64
    package var conversationID: Int64
    package var senderID: Int64
    package var body: String
    package var clientID: String?
    package var replyToID: Int64?
    package var createdAt: Int64
    package var editedAt: Int64?
    package var version: Int64
    package var deleted: Bool
    package var kind: MessageKind = .text
    /// For an encrypted message read for one device: that device's ciphertext, if it has one.
    package var ciphertext: [UInt8]?
    package var attachments: [UploadRecord] = []
    package var reactions: [ReactionSummary] = []
    /// Members mentioned by `@username`, ascending (`@channel` adds no ids).
    package var mentions: [Int64] = []
    /// For a thread reply, its root.
    package var threadRootID: Int64?
    /// For a thread root, its replies so far.
    package var thread: ThreadSummary?
    /// Pinned in its conversation.
    package var pinned = false
    /// Set only in REST reads by a user who blocks the sender.
    package var senderBlocked = false
}

/// What a thread root shows of its replies.
package struct ThreadSummary: Sendable, Equatable {
    package var replyCount: Int
    package var lastReplyAt: Int64
    /// Who replied, ascending ids.
    package var participants: [Int64] = []
}

extension MessageRecord {
    /// Maps a row of `SELECT id, seq, conversation_id, sender_id, body, client_id, reply_to_id,
    /// created_at, edited_at, version, deleted, kind`, the column list of every message query.
    init(row: any StoreRow) {
        id = row.int64(0)
        seq = row.int64(1)
        conversationID = row.int64(2)
        senderID = row.int64(3)
        body = row.string(4)
        clientID = row.optionalString(5)
        replyToID = row.optionalInt64(6)
        createdAt = row.int64(7)
        editedAt = row.optionalInt64(8)
        version = row.int64(9)
        deleted = row.bool(10)
        kind = MessageKind(rawValue: row.string(11)) ?? .text
    }
}

/// What a message holds: a body, per-device ciphertexts (the body is empty), or the record
/// of a call nobody answered (a server-written body names it).
package enum MessageKind: String, Sendable {
    case text
    case encrypted
    case missedCall = "missed_call"
}

/// One emoji on a message and who put it there, in the order they did.
package struct ReactionSummary: Sendable, Equatable {
    package var emoji: String
    package var userIDs: [Int64]
}
