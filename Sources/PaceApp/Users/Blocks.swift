import PaceHTTP
import PaceJSON
import PaceStore

/// Blocking: `PUT`/`DELETE /api/v1/me/blocks/{user_id}` (204) and `GET /api/v1/me/blocks`.
/// A block in either direction stops new direct conversations and direct messages between the
/// two (403 `blocked`); in shared groups the blocker's reads flag the blocked user's messages
/// with `sender_blocked`.
package enum Blocks {
    package static let refusal = APIError(403, "blocked", "One of you has blocked the other.")

    static func register(in router: inout Router, context: AppContext) {
        router.add(.put, "/api/v1/me/blocks/{user_id}", .authenticated(context) { request, reply, caller in
            set(context, request, reply, callerID: caller.id, true)
        })
        router.add(.delete, "/api/v1/me/blocks/{user_id}", .authenticated(context) { request, reply, caller in
            set(context, request, reply, callerID: caller.id, false)
        })
        router.add(.get, "/api/v1/me/blocks", .authenticated(context) { _, reply, caller in
            list(context, reply, callerID: caller.id)
        })
    }

    /// Whether either of the two blocks the other.
    static func between(_ db: any StoreTransaction, _ one: Int64, _ other: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("""
            SELECT 1 FROM blocks WHERE (blocker_id = ?1 AND blocked_id = ?2) OR (blocker_id = ?2 AND blocked_id = ?1)
            """, [.integer(one), .integer(other)], { _ in true }) ?? false
    }

    /// Whether a block stands between `senderID` and the other member of a direct conversation.
    static func inDirect(_ db: any StoreTransaction, conversationID: Int64, senderID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("""
            SELECT 1 FROM members o JOIN blocks b
              ON (b.blocker_id = o.user_id AND b.blocked_id = ?2) OR (b.blocker_id = ?2 AND b.blocked_id = o.user_id)
            WHERE o.conversation_id = ?1 AND o.user_id <> ?2
            """, [.integer(conversationID), .integer(senderID)], { _ in true }) ?? false
    }

    /// Sets `senderBlocked` on the messages whose sender `viewerID` blocks.
    static func flag(_ db: any StoreTransaction, viewerID: Int64, _ messages: inout [MessageRecord]) throws(StoreError) {
        guard !messages.isEmpty else { return }
        let blocked = Set(try db.query("SELECT blocked_id FROM blocks WHERE blocker_id = ?1", [.integer(viewerID)]) {
            $0.int64(0)
        })
        guard !blocked.isEmpty else { return }
        for index in messages.indices where blocked.contains(messages[index].senderID) {
            messages[index].senderBlocked = true
        }
    }

    private static func set(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64, _ blocked: Bool) {
        guard let userID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        guard userID != callerID else { return reply.error(.validation("user_id", "you cannot block yourself")) }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) -> Result<ChatEvent?, APIError> in
            guard try ConversationWrites.userExists(db, userID) else { return .failure(.notFound) }
            if blocked {
                try db.run("""
                    INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?1, ?2, ?3)
                    ON CONFLICT (blocker_id, blocked_id) DO NOTHING
                    """, [.integer(callerID), .integer(userID), .integer(now)])
            } else {
                try db.run("DELETE FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2", [.integer(callerID), .integer(userID)])
            }
            return .success(nil)
        }, success: { _ in reply.noContent() })
    }

    private static func list(_ context: AppContext, _ reply: Reply, callerID: Int64) {
        context.readAnswer(reply, { db throws(StoreError) -> Result<[(Int64, Int64)], APIError> in
            .success(try db.query("""
                SELECT blocked_id, created_at FROM blocks WHERE blocker_id = ?1 ORDER BY created_at, blocked_id LIMIT 10000
                """, [.integer(callerID)]) { ($0.int64(0), $0.int64(1)) })
        }, success: { blocks in
            reply.json { writer in
                writer.beginObject()
                writer.key("blocks")
                writer.beginArray()
                for (userID, at) in blocks {
                    writer.beginObject()
                    writer.key("user_id"); writer.string(String(userID))
                    writer.key("blocked_at"); writer.timestamp(milliseconds: at)
                    writer.endObject()
                }
                writer.endArray()
                writer.endObject()
            }
        })
    }
}
