import PaceJSON
import PaceStore

/// `GET /api/v1/me/export`: the caller's own data as NDJSON: a `user` line (their profile),
/// an `upload` line per file they uploaded (with its download `url`), then a `message` line
/// per message they sent, in id order, in the shape of the conversation export.
enum AccountExport {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/me/export", .authenticated(context) { _, reply, caller in
            context.pool.submit {
                NDJSONArchive.respond(context, reply, filename: "account-\(caller.id).ndjson") { out in
                    try fill(out, caller.id, context)
                }
            }
        })
    }

    private static func fill(_ out: NDJSONArchive.Output, _ userID: Int64, _ context: AppContext) throws {
        guard let user = try context.store.readNow({ db throws(StoreError) in try UserQueries.find(id: userID, in: db) }) else {
            return
        }
        var profile = JSONWriter(capacity: 256)
        profile.beginObject()
        profile.key("type"); profile.string("user")
        profile.key("user"); context.write(user, to: &profile)
        profile.endObject()
        try out.emit(profile)
        let uploads = try context.store.readNow { db throws(StoreError) in
            try db.query("SELECT id, filename, content_type, size, sha256, created_at FROM uploads WHERE owner_id = ?1 ORDER BY id",
                         [.integer(userID)]) { row in
                var writer = JSONWriter(capacity: 192)
                writer.beginObject()
                writer.key("type"); writer.string("upload")
                writer.key("id"); writer.string(String(row.int64(0)))
                writer.key("filename"); writer.string(row.string(1))
                writer.key("content_type"); writer.string(row.string(2))
                writer.key("size"); writer.int(row.int64(3))
                writer.key("sha256"); writer.string(row.string(4))
                writer.key("created_at"); writer.timestamp(milliseconds: row.int64(5))
                writer.key("url"); writer.string(UploadRecord.url(id: row.int64(0)))
                writer.endObject()
                return writer
            }
        }
        for upload in uploads { try out.emit(upload) }
        var after: Int64 = 0
        while true {
            let page = try context.store.readNow { db throws(StoreError) in
                try db.query("SELECT id, conversation_id FROM messages WHERE sender_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                             [.integer(userID), .integer(after), .integer(Int64(ConversationExport.page))]) {
                    (id: $0.int64(0), conversation: $0.int64(1))
                }
            }
            for message in page {
                let lines = try context.store.readNow { db throws(StoreError) in
                    try ConversationExport.messages(message.conversation, only: message.id, db)
                }
                for line in lines { try out.emit(line.json) }
            }
            guard page.count == ConversationExport.page, let last = page.last else { break }
            after = last.id
        }
    }
}
