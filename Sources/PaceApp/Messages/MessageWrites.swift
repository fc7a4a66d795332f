import PaceJSON
import PaceStore

/// A stored message change: the message after it, encoded once for both the REST answer and
/// the event; whether it is a new message; the event to publish when durable (nil when
/// nothing changed); and the content files whose last upload row it removed, to erase then.
package struct MessageChange: Sendable {
    package var json: [UInt8]
    package var created: Bool
    package var event: ChatEvent?
    package var erasedContent: [String] = []
}

/// Sending, editing and deleting messages, on the writer. Every refusal is decided before the
/// first change (see `StoreWork`); every change takes a fresh `version` from the sequence.
package enum MessageWrites {
    /// Stores a message, or finds the first one with the same `(sender, client_id)`: the
    /// partial UNIQUE index decides inside the transaction, so concurrent retries cannot
    /// create a second message. A `client_id` already used in another conversation is a 409.
    /// Encrypted messages (see `EncryptedMessageWrites`) also store their ciphertexts and mark
    /// the conversation end-to-end encrypted; from then on it refuses plain messages (409
    /// `encryption_required`). `kind` is `.missedCall` for the server's record of a call.
    package static func send(_ db: any StoreTransaction, conversationID: Int64, senderID: Int64, _ message: SendMessage,
                             now: Int64, kind: MessageKind = .text) throws(StoreError) -> Result<MessageChange, APIError> {
        guard let membership = try Membership.find(db, conversationID: conversationID, userID: senderID) else {
            return .failure(.notFound)
        }
        if let refusal = membership.postingRefusal(now: now) { return .failure(refusal) }
        if kind != .missedCall, let muted = try ServerMutes.refusal(db, userID: senderID, now: now) { return .failure(muted) }
        if membership.type == .direct, try Blocks.inDirect(db, conversationID: conversationID, senderID: senderID) {
            return .failure(Blocks.refusal)
        }
        var recipients: [Int64: Int64] = [:]
        switch try checkEncryption(db, conversationID: conversationID, message, kind: kind) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let owners): recipients = owners
        }
        let kind = message.encrypted ? MessageKind.encrypted : kind
        if let replyToID = message.replyToID,
           try MessageQueries.find(db, id: replyToID, conversationID: conversationID) == nil {
            return .failure(.validation("reply_to_id", "must be a message of this conversation"))
        }
        if let root = message.threadRootID, let problem = try Threads.rootProblem(db, rootID: root, conversationID: conversationID) {
            return .failure(.validation([problem]))
        }
        if let problem = try foreignUploads(db, ownerID: senderID, message.attachmentIDs) {
            return .failure(.validation([problem]))
        }
        if let refusal = try Mentions.unknown(db, conversationID: conversationID, message.mentionIDs) {
            return .failure(refusal)
        }
        let seq = try db.nextSequence()
        let inserted = try db.queryFirst("""
            INSERT INTO messages (seq, conversation_id, sender_id, body, client_id, reply_to_id, created_at, version, kind, n)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1, ?8, \(UnreadCounters.nextOrdinalSQL))
            ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id
            """, [.integer(seq), .integer(conversationID), .integer(senderID), .text(message.body),
                  message.clientID.map { .text($0) } ?? .null, message.replyToID.map { .integer($0) } ?? .null,
                  .integer(now), .text(kind.rawValue)]) { $0.int64(0) }
        guard let messageID = inserted else {
            return try firstSend(db, senderID: senderID, message, conversationID: conversationID)
        }
        if !message.attachmentIDs.isEmpty {
            let ids = SQLValue.text(MessageQueries.idList(message.attachmentIDs))
            try db.run("""
                INSERT INTO message_attachments (message_id, upload_id, position)
                SELECT ?1, value, key FROM json_each(?2)
                """, [.integer(messageID), ids])
            try db.run("UPDATE uploads SET attached = 1 WHERE id IN (SELECT value FROM json_each(?1))", [ids])
        }
        try db.run("""
            UPDATE conversations SET last_activity_seq = ?1, e2ee = CASE WHEN ?3 = 1 THEN 1 ELSE e2ee END,
                                     message_count = message_count + 1
            WHERE id = ?2
            """, [.integer(seq), .integer(conversationID), .integer(message.encrypted ? 1 : 0)])
        try UnreadCounters.messageSent(db, conversationID: conversationID, senderID: senderID)
        // A new message has no reactions and only the attachments just linked: no reload needed.
        var stored = [MessageRecord(id: messageID, seq: seq, conversationID: conversationID, senderID: senderID,
                                    body: message.body, clientID: message.clientID, replyToID: message.replyToID,
                                    createdAt: now, editedAt: nil, version: seq, deleted: false, kind: kind)]
        if !message.attachmentIDs.isEmpty { try MessageQueries.hydrate(db, &stored) }
        if let root = message.threadRootID {
            try Threads.recordReply(db, messageID: messageID, rootID: root, senderID: senderID, now: now)
            stored[0].threadRootID = root
        }
        if kind == .text {
            stored[0].mentions = try Mentions.record(db, messageID: messageID, seq: seq, conversationID: conversationID,
                                                     senderID: senderID, body: message.body, explicitIDs: message.mentionIDs)
        }
        let json = MessageEncoder.encode(stored[0])
        if message.encrypted {
            return .success(try storeCiphertexts(db, stored[0], message.ciphertexts, owners: recipients, json: json))
        }
        return .success(MessageChange(json: json, created: true, event: .messageCreated(
            conversationID: conversationID, messageID: messageID, seq: seq, senderID: senderID, message: json)))
    }

    /// Replaces the body: the author only (403); a deleted message cannot be edited (409); the
    /// body may be empty only when the message has attachments. The same body is not a change.
    package static func edit(_ db: any StoreTransaction, conversationID: Int64, messageID: Int64, callerID: Int64, body: String,
                             now: Int64) throws(StoreError) -> Result<MessageChange, APIError> {
        guard let membership = try Membership.find(db, conversationID: conversationID, userID: callerID),
              let current = try MessageQueries.full(db, id: messageID, conversationID: conversationID) else {
            return .failure(.notFound)
        }
        guard !membership.archived else { return .failure(.channelArchived) }
        guard current.senderID == callerID else { return .failure(.forbidden("Only the author may edit a message.")) }
        guard !current.deleted else { return .failure(.conflict("message_deleted", "The message was deleted.")) }
        guard current.kind == .text else {
            return .failure(.conflict("not_editable", "Only text messages can be edited; send a new encrypted message instead."))
        }
        guard !body.isEmpty || !current.attachments.isEmpty else {
            return .failure(.validation("body", "must be 1 to \(MessageRequests.maximumBodyLength) characters"))
        }
        guard body != current.body else { return .success(unchanged(current)) }
        let version = try db.nextSequence()
        try db.run("INSERT INTO message_edits (message_id, version, body, replaced_at) VALUES (?1, ?2, ?3, ?4)",
                   [.integer(messageID), .integer(current.version), .text(current.body), .integer(now)])
        try db.run("UPDATE messages SET body = ?1, edited_at = ?2, version = ?3 WHERE id = ?4",
                   [.text(body), .integer(now), .integer(version), .integer(messageID)])
        try Mentions.erase(db, messageID: messageID)
        try Mentions.record(db, messageID: messageID, seq: current.seq, conversationID: conversationID, senderID: callerID,
                            body: body)
        return try changed(db, messageID, conversationID, created: false) { json in
            .messageUpdated(conversationID: conversationID, version: version, message: json)
        }
    }

    /// Soft-deletes: the author, a group's owner or admin, or a server moderator or admin, who may moderate
    /// conversations they are not in. The id, seq and reactions stay; body and attachments go,
    /// and so does each attached upload no other live message carries (see
    /// `UploadQueries.detach`). Deleting a deleted message changes nothing.
    package static func delete(_ db: any StoreTransaction, conversationID: Int64, messageID: Int64,
                               callerID: Int64) throws(StoreError) -> Result<MessageChange, APIError> {
        let isGlobalAdmin = try ServerStanding.has(.moderator, callerID, in: db)
        let membership = try Membership.find(db, conversationID: conversationID, userID: callerID)
        guard membership != nil || isGlobalAdmin,
              let current = try MessageQueries.find(db, id: messageID, conversationID: conversationID) else {
            return .failure(.notFound)
        }
        let moderates = membership.map { $0.type != .direct && $0.role.manages } ?? false
        guard current.senderID == callerID || moderates || isGlobalAdmin else {
            return .failure(.forbidden("Only the author, a group owner or admin, or an administrator may delete it."))
        }
        guard !current.deleted else { return .success(unchanged(current)) }
        let version = try db.nextSequence()
        try UnreadCounters.messageDeleting(db, messageID: messageID)
        try db.run("UPDATE messages SET body = '', deleted = 1, version = ?1 WHERE id = ?2",
                   [.integer(version), .integer(messageID)])
        try db.run("DELETE FROM message_ciphertexts WHERE message_id = ?1", [.integer(messageID)])
        try Mentions.erase(db, messageID: messageID)
        try Threads.replyDeleted(db, messageID: messageID)
        try db.run("DELETE FROM message_edits WHERE message_id = ?1", [.integer(messageID)])
        let erased = try UploadQueries.detach(messageID: messageID, in: db)
        var result = try changed(db, messageID, conversationID, created: false) { json in
            .messageDeleted(conversationID: conversationID, version: version, message: json)
        }
        if case .success(var change) = result {
            change.erasedContent = erased
            result = .success(change)
        }
        return result
    }

    /// The first problem with `uploadIDs`: each must be an upload of `ownerID`.
    private static func foreignUploads(_ db: any StoreTransaction, ownerID: Int64,
                                       _ uploadIDs: [Int64]) throws(StoreError) -> FieldProblem? {
        guard !uploadIDs.isEmpty else { return nil }
        let owned = Set(try db.query("""
            SELECT id FROM uploads WHERE owner_id = ?1 AND id IN (SELECT value FROM json_each(?2))
            """, [.integer(ownerID), .text(MessageQueries.idList(uploadIDs))], { $0.int64(0) }))
        guard let index = uploadIDs.firstIndex(where: { !owned.contains($0) }) else { return nil }
        return FieldProblem(field: "attachment_ids[\(index)]", problem: "must be one of your uploads")
    }

    /// The answer to a repeated `client_id`: the first message, unchanged.
    private static func firstSend(_ db: any StoreTransaction, senderID: Int64, _ message: SendMessage,
                                  conversationID: Int64) throws(StoreError) -> Result<MessageChange, APIError> {
        guard let clientID = message.clientID,
              let first = try db.queryFirst("SELECT id, conversation_id FROM messages WHERE sender_id = ?1 AND client_id = ?2",
                                            [.integer(senderID), .text(clientID)], { ($0.int64(0), $0.int64(1)) }),
              first.1 == conversationID,
              let stored = try MessageQueries.full(db, id: first.0, conversationID: conversationID) else {
            return .failure(.conflict("client_id_reused", "This client_id was used for a message elsewhere."))
        }
        return .success(unchanged(stored))
    }

    private static func unchanged(_ message: MessageRecord) -> MessageChange {
        MessageChange(json: MessageEncoder.encode(message), created: false, event: nil)
    }

    /// Reloads the changed message, encodes it once and builds its event from those bytes.
    static func changed(_ db: any StoreTransaction, _ messageID: Int64, _ conversationID: Int64, created: Bool,
                        event: ([UInt8]) -> ChatEvent) throws(StoreError) -> Result<MessageChange, APIError> {
        guard let message = try MessageQueries.full(db, id: messageID, conversationID: conversationID) else {
            return .failure(.notFound)
        }
        let json = MessageEncoder.encode(message)
        return .success(MessageChange(json: json, created: created, event: event(json)))
    }
}
