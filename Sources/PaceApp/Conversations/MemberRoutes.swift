import PaceJSON
import PaceStore

/// HTTP handlers for group membership: add a member, remove one (or leave).
enum MemberRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.post, "/api/v1/conversations/{id}/members", bodyLimit: 4096,
                   .authenticated(context) { request, reply, caller in
                       add(context, request, reply, callerID: caller.id)
                   })
        router.add(.delete, "/api/v1/conversations/{id}/members/{user_id}",
                   .authenticated(context) { request, reply, caller in
                       remove(context, request, reply, callerID: caller.id)
                   })
    }

    private static func add(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let body: (userID: Int64, role: MemberRole)
        switch parseAdd(request) {
        case .success(let parsed): body = parsed
        case .failure(let error): return reply.error(error)
        }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            try MembershipWrites.add(db, conversationID: conversationID, callerID: callerID, userID: body.userID,
                                     role: body.role, now: now)
        }, success: { change in ConversationRoutes.answer(context, change, reply, status: 201) })
    }

    private static func remove(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let userID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        context.commitAnswer(reply, { db throws(StoreError) in
            try MembershipWrites.remove(db, conversationID: conversationID, callerID: callerID, userID: userID)
        }, success: { _ in
            reply.noContent()
        })
    }

    /// `{user_id, role?}`: role is `member` (default) or `admin`; a second owner cannot be added.
    private static func parseAdd(_ request: AppRequest) -> Result<(userID: Int64, role: MemberRole), APIError> {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return .failure(error) }
        var userID: Int64?
        if let value = reader["user_id"], !value.isNull {
            userID = ConversationRequests.id(value)
            if userID == nil { reader.addProblem("user_id", "must be a user id") }
        } else {
            reader.addProblem("user_id", JSONObjectReader.isRequired)
        }
        var role = MemberRole.member
        if let text = reader.string("role") {
            switch MemberRole(rawValue: text) {
            case .admin?: role = .admin
            case .member?: role = .member
            default: reader.addProblem("role", "must be admin or member")
            }
        }
        guard reader.problems.isEmpty, let userID else { return .failure(.validation(reader.problems)) }
        return .success((userID, role))
    }
}
