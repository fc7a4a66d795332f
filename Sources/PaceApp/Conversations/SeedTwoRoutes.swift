import PaceJSON
import PaceStore

/// The REST routes of the seed-002 chat exercise, answered by the same services:
/// `POST /api/v1/chat/conversations {recipient_id}` (direct get-or-create: 201 new, 200
/// existing) and `GET /api/v1/chat/conversations/{id}/messages?skip=&limit=` (a JSON array of
/// Messages, oldest first, `skip` from the oldest). Its WebSocket is `SeedTwoSocketRoute`.
enum SeedTwoRoutes {
    static let maximumSkip = 1_000_000

    static func register(in router: inout Router, context: AppContext) {
        router.add(.post, "/api/v1/chat/conversations", bodyLimit: 4096, .authenticated(context) { request, reply, caller in
            create(context, request, reply, callerID: caller.id)
        })
        router.add(.get, "/api/v1/chat/conversations/{id}/messages", .authenticated(context) { request, reply, caller in
            messages(context, request, reply, callerID: caller.id)
        })
    }

    private static func create(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return reply.error(error) }
        var recipient: Int64?
        if let value = reader["recipient_id"], !value.isNull {
            recipient = ConversationRequests.id(value)
            if recipient == nil { reader.addProblem("recipient_id", "must be a user id") }
        } else {
            reader.addProblem("recipient_id", JSONObjectReader.isRequired)
        }
        guard reader.problems.isEmpty, let recipient else { return reply.error(.validation(reader.problems)) }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            try ConversationWrites.createDirect(db, callerID: callerID, otherID: recipient, now: now)
        }, success: { change in ConversationRoutes.answer(context, change, reply, status: change.created ? 201 : 200) })
    }

    private static func messages(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let skip = request.queryValue("skip").map { Int($0) ?? -1 } ?? 0
        let limit = request.queryValue("limit").map { Int($0) ?? 0 } ?? 50
        var problems: [FieldProblem] = []
        if !(0...maximumSkip).contains(skip) { problems.append(.init(field: "skip", problem: "must be 0 to \(maximumSkip)")) }
        if !(1...200).contains(limit) { problems.append(.init(field: "limit", problem: "must be 1 to 200")) }
        guard problems.isEmpty else { return reply.error(.validation(problems)) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<[MessageRecord], APIError> in
            guard try Membership.find(db, conversationID: conversationID, userID: callerID) != nil else {
                return .failure(.notFound)
            }
            var rows = try db.query("""
                SELECT id, seq, conversation_id, sender_id, body, client_id, reply_to_id, created_at, edited_at,
                       version, deleted, kind
                FROM messages WHERE conversation_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3
                """, [.integer(conversationID), .integer(Int64(limit)), .integer(Int64(skip))], MessageRecord.init(row:))
            try MessageQueries.hydrate(db, &rows)
            try Blocks.flag(db, viewerID: callerID, &rows)
            return .success(rows)
        }, success: { rows in
            reply.json { writer in MessageEncoder.writeArray(rows, into: &writer) }
        })
    }
}
