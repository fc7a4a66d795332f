import PaceHTTP
import PaceJSON
import PaceStore

/// Pins: `PUT`/`DELETE …/messages/{mid}/pin` (204; members who may post, not in an archived
/// channel, not on a deleted message) and `GET …/pins` (newest pin first). A pin change gives
/// the message a fresh version and goes out as `message.updated` with `pinned`.
enum Pins {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.put, "/api/v1/conversations/{id}/messages/{mid}/pin", .authenticated(context) { request, reply, caller in
            set(context, request, reply, callerID: caller.id, true)
        })
        router.add(.delete, "/api/v1/conversations/{id}/messages/{mid}/pin", .authenticated(context) { request, reply, caller in
            set(context, request, reply, callerID: caller.id, false)
        })
        router.add(.get, "/api/v1/conversations/{id}/pins", .authenticated(context) { request, reply, caller in
            list(context, request, reply, callerID: caller.id)
        })
    }

    static func change(_ db: any StoreTransaction, conversationID: Int64, messageID: Int64, callerID: Int64, pinned: Bool,
                       now: Int64) throws(StoreError) -> Result<MessageChange?, APIError> {
        guard let membership = try Membership.find(db, conversationID: conversationID, userID: callerID),
              let message = try MessageQueries.find(db, id: messageID, conversationID: conversationID) else {
            return .failure(.notFound)
        }
        if let refusal = membership.postingRefusal(now: now) { return .failure(refusal) }
        guard !message.deleted else { return .failure(.conflict("message_deleted", "The message was deleted.")) }
        if pinned {
            try db.run("""
                INSERT INTO pins (conversation_id, message_id, pinned_by, pinned_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (conversation_id, message_id) DO NOTHING
                """, [.integer(conversationID), .integer(messageID), .integer(callerID), .integer(now)])
        } else {
            try db.run("DELETE FROM pins WHERE conversation_id = ?1 AND message_id = ?2",
                       [.integer(conversationID), .integer(messageID)])
        }
        guard db.changes == 1 else { return .success(nil) }
        let version = try db.nextSequence()
        try db.run("UPDATE messages SET version = ?1 WHERE id = ?2", [.integer(version), .integer(messageID)])
        return try MessageWrites.changed(db, messageID, conversationID, created: false) { json in
            .messageUpdated(conversationID: conversationID, version: version, message: json)
        }.map { Optional($0) }
    }

    private static func set(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64, _ pinned: Bool) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let messageID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            try change(db, conversationID: conversationID, messageID: messageID, callerID: callerID, pinned: pinned, now: now)
        }, success: { _ in reply.noContent() })
    }

    private struct Pin: Sendable {
        var message: MessageRecord
        var pinnedBy: Int64
        var pinnedAt: Int64
    }

    private static func list(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<[Pin], APIError> in
            guard try Membership.find(db, conversationID: conversationID, userID: callerID) != nil else {
                return .failure(.notFound)
            }
            let rows = try db.query("""
                SELECT x.id, x.seq, x.conversation_id, x.sender_id, x.body, x.client_id, x.reply_to_id,
                       x.created_at, x.edited_at, x.version, x.deleted, x.kind, p.pinned_by, p.pinned_at
                FROM pins p JOIN messages x ON x.id = p.message_id
                WHERE p.conversation_id = ?1 ORDER BY p.pinned_at DESC, p.message_id DESC LIMIT 500
                """, [.integer(conversationID)]) { row in
                Pin(message: MessageRecord(row: row), pinnedBy: row.int64(12), pinnedAt: row.int64(13))
            }
            var messages = rows.map(\.message)
            try MessageQueries.hydrate(db, &messages)
            return .success(zip(rows, messages).map { Pin(message: $1, pinnedBy: $0.pinnedBy, pinnedAt: $0.pinnedAt) })
        }, success: { pins in
            reply.json { writer in
                writer.beginObject()
                writer.key("pins")
                writer.beginArray()
                for pin in pins {
                    writer.beginObject()
                    writer.key("message"); MessageEncoder.write(pin.message, into: &writer)
                    writer.key("pinned_by"); writer.string(String(pin.pinnedBy))
                    writer.key("pinned_at"); writer.timestamp(milliseconds: pin.pinnedAt)
                    writer.endObject()
                }
                writer.endArray()
                writer.endObject()
            }
        })
    }
}
