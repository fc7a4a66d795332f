import PaceJSON
import PaceStore

/// The HTTP handler of read markers: `POST /api/v1/conversations/{id}/read {message_id}`, 204.
enum ReadMarkerRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.post, "/api/v1/conversations/{id}/read", bodyLimit: 4096,
                   .authenticated(context) { request, reply, caller in
                       markRead(context, request, reply, callerID: caller.id)
                   })
    }

    private static func markRead(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return reply.error(error) }
        var messageID: Int64?
        if let value = reader["message_id"], !value.isNull {
            messageID = ConversationRequests.id(value)
            if messageID == nil { reader.addProblem("message_id", "must be a message id") }
        } else {
            reader.addProblem("message_id", JSONObjectReader.isRequired)
        }
        guard reader.problems.isEmpty, let messageID else { return reply.error(.validation(reader.problems)) }
        context.commitAnswer(reply, { db throws(StoreError) in
            try ReadMarkers.markRead(db, conversationID: conversationID, userID: callerID, messageID: messageID)
        }, success: { _ in
            reply.noContent()
        })
    }
}
