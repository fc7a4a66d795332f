import PaceJSON
import PaceStore

extension APIError {
    static let exportForbidden = APIError(403, "export_forbidden",
                                          "Only the conversation's owner or a server admin may export it.")
}

/// `GET /api/v1/conversations/{id}/export`: the whole conversation as NDJSON, one line per
/// object: first `{"type":"conversation",…}`, then `{"type":"message",…}` in seq order with
/// `edited_at`, `deleted`, its reactions and its attachments (metadata and download `url`;
/// the files themselves are fetched from there, with the exporter's token). The group's owner,
/// either member of a direct conversation, or a server admin (audited) may export.
///
/// The archive is written page by page (500 messages per read) through `NDJSONArchive`.
enum ConversationExport {
    static let page = 500

    static func register(in router: inout Router, context: AppContext, statistics: AdminStatistics) {
        router.add(.get, "/api/v1/conversations/{id}/export", .authenticated(context) { request, reply, user in
            guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            context.writeAnswer(reply, { db throws(StoreError) in
                try authorize(conversationID, caller, db)
            }, success: { _ in
                context.pool.submit { write(conversationID, context, reply) }
            })
        })
    }

    /// Owners of groups and members of direct conversations; else server admins, audited.
    private static func authorize(_ conversationID: Int64, _ caller: AdminCaller,
                                  _ db: any StoreTransaction) throws(StoreError) -> Result<Void, APIError> {
        let exists = try db.queryFirst("SELECT 1 FROM conversations WHERE id = ?1", [.integer(conversationID)]) { _ in true }
        let membership = try Membership.find(db, conversationID: conversationID, userID: caller.id)
        if let membership, membership.type == .direct || membership.role == .owner { return .success(()) }
        var entry = caller.entry("conversation.export", target: conversationID, allowed: true)
        entry.targetType = "conversation"
        guard try ServerStanding.isAdmin(caller.id, in: db) else {
            entry.allowed = false
            entry.detail = "export_forbidden"
            try caller.record(entry, in: db)
            return .failure(exists == nil && membership == nil ? .notFound : .exportForbidden)
        }
        guard exists != nil else { return .failure(.notFound) }
        try caller.record(entry, in: db)
        return .success(())
    }

    /// Pool thread: writes the archive, then streams it.
    private static func write(_ conversationID: Int64, _ context: AppContext, _ reply: Reply) {
        NDJSONArchive.respond(context, reply, filename: "conversation-\(conversationID).ndjson") { out in
            try fill(out, conversationID, context)
        }
    }

    private static func fill(_ out: NDJSONArchive.Output, _ conversationID: Int64, _ context: AppContext) throws {
        func emit(_ writer: JSONWriter) throws { try out.emit(writer) }
        let header = try context.store.readNow { db throws(StoreError) in
            try db.queryFirst("SELECT type, title, owner_id, created_at, retention_days FROM conversations WHERE id = ?1",
                              [.integer(conversationID)]) { row in
                var writer = JSONWriter(capacity: 256)
                writer.beginObject()
                writer.key("type"); writer.string("conversation")
                writer.key("id"); writer.string(String(conversationID))
                writer.key("kind"); writer.string(row.string(0))
                writer.key("title"); writer.stringOrNull(row.optionalString(1))
                writer.key("owner_id"); writer.string(String(row.int64(2)))
                writer.key("created_at"); writer.timestamp(milliseconds: row.int64(3))
                writer.key("retention_days")
                if let days = row.optionalInt64(4) { writer.int(days) } else { writer.null() }
                writer.endObject()
                return writer
            }
        }
        guard let header else { return }
        try emit(header)
        var after: Int64 = 0
        while true {
            let lines = try context.store.readNow { db throws(StoreError) in
                try messages(conversationID, after: after, db)
            }
            for line in lines { try emit(line.json) }
            guard lines.count == page, let last = lines.last else { break }
            after = last.seq
        }
    }

    /// A page of message lines after `after` (seq), or with `only` the one message with that id.
    static func messages(_ conversationID: Int64, after: Int64 = 0, only: Int64 = 0,
                         _ db: any StoreTransaction) throws(StoreError) -> [(seq: Int64, json: JSONWriter)] {
        let rows = try db.query("""
            SELECT id, seq, sender_id, body, created_at, edited_at, deleted, reply_to_id FROM messages
            WHERE conversation_id = ?1 AND seq > ?2 AND (CAST(?4 AS BIGINT) = 0 OR id = CAST(?4 AS BIGINT))
            ORDER BY seq LIMIT ?3
            """, [.integer(conversationID), .integer(after), .integer(Int64(page)), .integer(only)]) { row in
            (id: row.int64(0), seq: row.int64(1), sender: row.int64(2), body: row.string(3), created: row.int64(4),
             edited: row.optionalInt64(5), deleted: row.bool(6), replyTo: row.optionalInt64(7))
        }
        var result: [(seq: Int64, json: JSONWriter)] = []
        for message in rows {
            let reactions = try db.query("SELECT emoji, user_id FROM reactions WHERE message_id = ?1 ORDER BY created_at, emoji",
                                         [.integer(message.id)]) { (emoji: $0.string(0), user: $0.int64(1)) }
            let files = try db.query("""
                SELECT u.id, u.filename, u.content_type, u.size, u.sha256 FROM message_attachments a
                JOIN uploads u ON u.id = a.upload_id WHERE a.message_id = ?1 ORDER BY a.position
                """, [.integer(message.id)]) { row in
                (id: row.int64(0), name: row.string(1), type: row.string(2), size: row.int64(3), sha256: row.string(4))
            }
            var writer = JSONWriter(capacity: 256)
            writer.beginObject()
            writer.key("type"); writer.string("message")
            writer.key("id"); writer.string(String(message.id))
            writer.key("conversation_id"); writer.string(String(conversationID))
            writer.key("seq"); writer.int(message.seq)
            writer.key("sender_id"); writer.string(String(message.sender))
            writer.key("body"); writer.string(message.body)
            writer.key("created_at"); writer.timestamp(milliseconds: message.created)
            writer.key("edited_at"); writer.timestampOrNull(milliseconds: message.edited)
            writer.key("deleted"); writer.bool(message.deleted)
            writer.key("reply_to_id"); writer.stringOrNull(message.replyTo.map { String($0) })
            writer.key("reactions"); writer.beginArray()
            for reaction in reactions {
                writer.beginObject()
                writer.key("emoji"); writer.string(reaction.emoji)
                writer.key("user_id"); writer.string(String(reaction.user))
                writer.endObject()
            }
            writer.endArray()
            writer.key("attachments"); writer.beginArray()
            for file in files {
                writer.beginObject()
                writer.key("id"); writer.string(String(file.id))
                writer.key("filename"); writer.string(file.name)
                writer.key("content_type"); writer.string(file.type)
                writer.key("size"); writer.int(file.size)
                writer.key("sha256"); writer.string(file.sha256)
                writer.key("url"); writer.string(UploadRecord.url(id: file.id))
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            result.append((message.seq, writer))
        }
        return result
    }
}
