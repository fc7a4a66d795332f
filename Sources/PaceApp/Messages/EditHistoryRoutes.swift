import PaceJSON
import PaceStore

/// `GET …/messages/{mid}/history`: the bodies a message had before each edit, oldest first,
/// each with the version it had and when it was replaced; members only (404). A deleted
/// message has no history (its bodies went with it).
enum EditHistoryRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/conversations/{id}/messages/{mid}/history", .authenticated(context) { request, reply, caller in
            show(context, request, reply, callerID: caller.id)
        })
    }

    private struct Edit: Sendable {
        var version: Int64
        var body: String
        var replacedAt: Int64
    }

    private static func show(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let messageID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<[Edit], APIError> in
            guard try Membership.find(db, conversationID: conversationID, userID: callerID) != nil,
                  try MessageQueries.find(db, id: messageID, conversationID: conversationID) != nil else {
                return .failure(.notFound)
            }
            return .success(try db.query("""
                SELECT version, body, replaced_at FROM message_edits WHERE message_id = ?1 ORDER BY version LIMIT 1000
                """, [.integer(messageID)]) { Edit(version: $0.int64(0), body: $0.string(1), replacedAt: $0.int64(2)) })
        }, success: { edits in
            reply.json { writer in
                writer.beginObject()
                writer.key("versions")
                writer.beginArray()
                for edit in edits {
                    writer.beginObject()
                    writer.key("version"); writer.int(edit.version)
                    writer.key("body"); writer.string(edit.body)
                    writer.key("replaced_at"); writer.timestamp(milliseconds: edit.replacedAt)
                    writer.endObject()
                }
                writer.endArray()
                writer.endObject()
            }
        })
    }
}
