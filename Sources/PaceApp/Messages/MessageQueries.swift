import PaceStore

/// Reads of messages: single messages, history pages, and the attachments and reactions of a
/// set of messages, loaded with one query each (never one per message).
package enum MessageQueries {
    /// The first page after `after` (below `before`): ?1 conversation, ?2 after, ?3 before, ?4 count.
    package static let forwardPageSQL = """
        SELECT id, seq, conversation_id, sender_id, body, client_id, reply_to_id, created_at, edited_at,
               version, deleted, kind
        FROM messages WHERE conversation_id = ?1 AND seq > ?2 AND seq < ?3
        ORDER BY seq ASC LIMIT ?4
        """

    /// The latest page below `before`: ?1 conversation, ?2 before, ?3 count.
    package static let latestPageSQL = """
        SELECT id, seq, conversation_id, sender_id, body, client_id, reply_to_id, created_at, edited_at,
               version, deleted, kind
        FROM messages WHERE conversation_id = ?1 AND seq < ?2
        ORDER BY seq DESC LIMIT ?3
        """

    /// Attachments of the messages in the JSON id array ?1.
    package static let attachmentsSQL = """
        SELECT a.message_id, u.id, u.owner_id, u.sha256, u.size, u.content_type, u.filename, u.created_at
        FROM message_attachments a JOIN uploads u ON u.id = a.upload_id
        WHERE a.message_id IN (SELECT value FROM json_each(?1))
        ORDER BY a.message_id, a.position
        """

    /// Reactions to the messages in the JSON id array ?1, oldest first.
    package static let reactionsSQL = """
        SELECT message_id, emoji, user_id FROM reactions
        WHERE message_id IN (SELECT value FROM json_each(?1))
        ORDER BY message_id, created_at, user_id
        """

    /// The members each message mentions by name (see `Mentions`): ?1 a JSON array of ids.
    package static let mentionsSQL = """
        SELECT message_id, user_id FROM mentions
        WHERE explicit = 1 AND message_id IN (SELECT value FROM json_each(?1))
        ORDER BY message_id, user_id
        """

    /// The message `id` if it belongs to `conversationID`, without attachments or reactions.
    package static func find(_ db: any StoreTransaction, id: Int64, conversationID: Int64) throws(StoreError) -> MessageRecord? {
        try db.queryFirst("""
            SELECT id, seq, conversation_id, sender_id, body, client_id, reply_to_id, created_at, edited_at,
                   version, deleted, kind
            FROM messages WHERE id = ?1 AND conversation_id = ?2
            """, [.integer(id), .integer(conversationID)], MessageRecord.init(row:))
    }

    /// `find` plus attachments and reactions.
    package static func full(_ db: any StoreTransaction, id: Int64, conversationID: Int64) throws(StoreError) -> MessageRecord? {
        guard let message = try find(db, id: id, conversationID: conversationID) else { return nil }
        var messages = [message]
        try hydrate(db, &messages)
        return messages[0]
    }

    /// A page of history with attachments and reactions; see `PageRequest` for the bounds.
    package static func page(_ db: any StoreTransaction, conversationID: Int64, _ request: PageRequest,
                             device: Int64? = nil) throws(StoreError) -> MessagePage {
        let fetch = Int64(request.limit + 1)
        var rows: [MessageRecord]
        if let after = request.after {
            rows = try db.query(Self.forwardPageSQL, [.integer(conversationID), .integer(after),
                                                      .integer(request.before ?? Int64.max), .integer(fetch)],
                                MessageRecord.init(row:))
        } else {
            rows = try db.query(Self.latestPageSQL, [.integer(conversationID), .integer(request.before ?? Int64.max),
                                                     .integer(fetch)],
                                MessageRecord.init(row:))
        }
        let hasMore = rows.count > request.limit
        if hasMore { rows.removeLast() }
        if request.after == nil { rows.reverse() }
        try hydrate(db, &rows, device: device)
        return MessagePage(messages: rows, hasMore: hasMore)
    }

    /// Fills in attachments and reactions of `messages`: one query for each, whatever the count;
    /// with `device`, also that device's ciphertexts of the encrypted ones.
    package static func hydrate(_ db: any StoreTransaction, _ messages: inout [MessageRecord],
                                device: Int64? = nil) throws(StoreError) {
        guard !messages.isEmpty else { return }
        var index: [Int64: Int] = [:]
        index.reserveCapacity(messages.count)
        for (position, message) in messages.enumerated() { index[message.id] = position }
        let ids = SQLValue.text(idList(messages.map(\.id)))
        let attachments = try db.query(Self.attachmentsSQL, [ids]) { row in
            (row.int64(0), UploadRecord(id: row.int64(1), ownerID: row.int64(2), sha256: row.string(3),
                                        size: row.int64(4), contentType: row.string(5), filename: row.string(6),
                                        createdAt: row.int64(7)))
        }
        for (messageID, upload) in attachments {
            if let position = index[messageID] { messages[position].attachments.append(upload) }
        }
        if let device, messages.contains(where: { $0.kind == .encrypted }) {
            let ciphertexts = try db.query("""
                SELECT message_id, ciphertext FROM message_ciphertexts
                WHERE device_id = ?2 AND message_id IN (SELECT value FROM json_each(?1))
                """, [ids, .integer(device)]) { ($0.int64(0), $0.bytes(1)) }
            for (messageID, ciphertext) in ciphertexts {
                if let position = index[messageID] { messages[position].ciphertext = ciphertext }
            }
        }
        let mentions = try db.query(Self.mentionsSQL, [ids]) { ($0.int64(0), $0.int64(1)) }
        for (messageID, userID) in mentions {
            if let position = index[messageID] { messages[position].mentions.append(userID) }
        }
        try Threads.hydrate(db, &messages, index: index, ids: ids)
        let reactions = try db.query(Self.reactionsSQL, [ids]) { row in (row.int64(0), row.string(1), row.int64(2)) }
        for (messageID, emoji, userID) in reactions {
            guard let position = index[messageID] else { continue }
            if let slot = messages[position].reactions.firstIndex(where: { $0.emoji == emoji }) {
                messages[position].reactions[slot].userIDs.append(userID)
            } else {
                messages[position].reactions.append(ReactionSummary(emoji: emoji, userIDs: [userID]))
            }
        }
    }

    /// `[1,2,3]`: a JSON array bound as one parameter and opened with `json_each`, so a set of
    /// ids is one fixed statement rather than SQL text built per count.
    static func idList(_ ids: [Int64]) -> String {
        var text = "["
        for (position, id) in ids.enumerated() {
            if position > 0 { text += "," }
            text += String(id)
        }
        return text + "]"
    }
}
