import PaceJSON
import PaceStore

/// `GET /api/v1/conversations/{id}/read-positions`: every member's read marker, for members
/// only (404 otherwise), as `{positions: [{user_id, seq, message_id|null}]}`; `seq` 0 and a
/// null `message_id` mean nothing read yet.
enum ReadPositionRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/conversations/{id}/read-positions", .authenticated(context) { request, reply, caller in
            show(context, request, reply, callerID: caller.id)
        })
    }

    private struct Position: Sendable {
        var userID: Int64
        var seq: Int64
        var messageID: Int64?
    }

    private static func show(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<[Position], APIError> in
            guard try Membership.find(db, conversationID: conversationID, userID: callerID) != nil else {
                return .failure(.notFound)
            }
            return .success(try db.query("""
                SELECT o.user_id, o.last_read_seq,
                       (SELECT x.id FROM messages x WHERE x.conversation_id = o.conversation_id AND x.seq = o.last_read_seq)
                FROM members o WHERE o.conversation_id = ?1 ORDER BY o.user_id
                """, [.integer(conversationID)]) { Position(userID: $0.int64(0), seq: $0.int64(1), messageID: $0.optionalInt64(2)) })
        }, success: { positions in
            reply.json { writer in
                writer.beginObject()
                writer.key("positions")
                writer.beginArray()
                for position in positions {
                    writer.beginObject()
                    writer.key("user_id"); writer.string(String(position.userID))
                    writer.key("seq"); writer.int(position.seq)
                    writer.key("message_id"); writer.stringOrNull(position.messageID.map { String($0) })
                    writer.endObject()
                }
                writer.endArray()
                writer.endObject()
            }
        })
    }
}
