import PaceHTTP
import PaceJSON
import PaceStore

/// `GET …/messages/{mid}/thread?after=&limit=` (the root, then its replies in ascending `seq`
/// after the cursor) and `PUT`/`DELETE …/messages/{mid}/thread/follow`. Members only (404).
enum ThreadRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/conversations/{id}/messages/{mid}/thread", .authenticated(context) { request, reply, caller in
            show(context, request, reply, callerID: caller.id)
        })
        router.add(.put, "/api/v1/conversations/{id}/messages/{mid}/thread/follow", .authenticated(context) { request, reply, caller in
            follow(context, request, reply, callerID: caller.id, true)
        })
        router.add(.delete, "/api/v1/conversations/{id}/messages/{mid}/thread/follow", .authenticated(context) { request, reply, caller in
            follow(context, request, reply, callerID: caller.id, false)
        })
    }

    private struct Page: Sendable {
        var root: MessageRecord
        var replies: [MessageRecord]
        var hasMore: Bool
        var following: Bool
    }

    private static func show(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let rootID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        let limit = request.queryValue("limit").map { Int($0) ?? 0 } ?? 50
        guard (1...200).contains(limit) else { return reply.error(.validation("limit", "must be 1 to 200")) }
        let after = request.queryValue("after").map { Int64($0) ?? -1 } ?? 0
        guard after >= 0 else { return reply.error(.validation("after", "must be a seq")) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<Page, APIError> in
            guard try Membership.find(db, conversationID: conversationID, userID: callerID) != nil,
                  let root = try MessageQueries.full(db, id: rootID, conversationID: conversationID) else {
                return .failure(.notFound)
            }
            guard root.threadRootID == nil else {
                return .failure(.validation("mid", "is a thread reply; read its root's thread"))
            }
            var replies = try db.query("""
                SELECT x.id, x.seq, x.conversation_id, x.sender_id, x.body, x.client_id, x.reply_to_id,
                       x.created_at, x.edited_at, x.version, x.deleted, x.kind
                FROM thread_replies r JOIN messages x ON x.id = r.message_id
                WHERE r.root_id = ?1 AND x.seq > ?2 ORDER BY x.seq LIMIT ?3
                """, [.integer(rootID), .integer(after), .integer(Int64(limit + 1))], MessageRecord.init(row:))
            let more = replies.count > limit
            if more { replies.removeLast() }
            try MessageQueries.hydrate(db, &replies)
            return .success(Page(root: root, replies: replies, hasMore: more,
                                 following: try Threads.following(db, rootID: rootID, userID: callerID)))
        }, success: { page in
            reply.json { writer in
                writer.beginObject()
                writer.key("root"); MessageEncoder.write(page.root, into: &writer)
                writer.key("replies"); MessageEncoder.writeArray(page.replies, into: &writer)
                writer.key("has_more"); writer.bool(page.hasMore)
                writer.key("following"); writer.bool(page.following)
                writer.endObject()
            }
        })
    }

    private static func follow(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64,
                               _ following: Bool) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let rootID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        context.commitAnswer(reply, { db throws(StoreError) -> Result<ChatEvent?, APIError> in
            guard try Membership.find(db, conversationID: conversationID, userID: callerID) != nil,
                  try MessageQueries.find(db, id: rootID, conversationID: conversationID) != nil else {
                return .failure(.notFound)
            }
            guard try !Threads.isReply(db, rootID) else {
                return .failure(.validation("mid", "is a thread reply; follow its root"))
            }
            try Threads.follow(db, rootID: rootID, userID: callerID, following)
            return .success(nil)
        }, success: { _ in reply.noContent() })
    }
}
