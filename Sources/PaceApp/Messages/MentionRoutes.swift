import PaceJSON
import PaceStore

/// `GET /api/v1/me/mentions` (the messages that mention the caller, newest first, in the
/// conversations they are still in) and `PUT /api/v1/conversations/{id}/notifications`.
enum MentionRoutes {
    static let defaultLimit = 50
    static let maximumLimit = 200

    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/me/mentions", .authenticated(context) { request, reply, caller in
            mentions(context, request, reply, callerID: caller.id)
        })
        router.add(.put, "/api/v1/conversations/{id}/notifications", bodyLimit: 4096,
                   .authenticated(context) { request, reply, caller in
                       setNotifications(context, request, reply, callerID: caller.id)
                   })
    }

    private static func mentions(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        let limit = request.queryValue("limit").map { Int($0) ?? 0 } ?? defaultLimit
        guard (1...maximumLimit).contains(limit) else { return reply.error(.validation("limit", "must be 1 to \(maximumLimit)")) }
        let before = request.queryValue("before").map { Int64($0) ?? 0 } ?? Int64.max
        guard before > 0 else { return reply.error(.validation("before", "must be a positive seq")) }
        context.readAnswer(reply, { db throws(StoreError) in
            var messages = try db.query("""
                SELECT x.id, x.seq, x.conversation_id, x.sender_id, x.body, x.client_id, x.reply_to_id,
                       x.created_at, x.edited_at, x.version, x.deleted, x.kind
                FROM (SELECT n.message_id AS id, n.seq FROM mentions n
                      JOIN members m ON m.conversation_id = n.conversation_id AND m.user_id = n.user_id
                      WHERE n.user_id = ?1 AND n.seq < ?2
                      UNION
                      SELECT e.message_id, e.seq FROM members m
                      JOIN channel_mentions e ON e.conversation_id = m.conversation_id
                      WHERE m.user_id = ?1 AND e.seq < ?2 AND e.sender_id <> ?1) AS f
                JOIN messages x ON x.id = f.id
                ORDER BY f.seq DESC LIMIT ?3
                """, [.integer(callerID), .integer(before), .integer(Int64(limit + 1))], MessageRecord.init(row:))
            let more = messages.count > limit
            if more { messages.removeLast() }
            try MessageQueries.hydrate(db, &messages)
            return .success((messages, more ? messages.last?.seq : nil))
        }, success: { messages, next in
            reply.json { writer in
                writer.beginObject()
                writer.key("messages")
                MessageEncoder.writeArray(messages, into: &writer)
                writer.key("next_before")
                if let next { writer.int(next) } else { writer.null() }
                writer.endObject()
            }
        })
    }

    private static func setNotifications(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let setting: NotificationSetting
        switch NotificationSetting.parse(request) {
        case .success(let parsed): setting = parsed
        case .failure(let error): return reply.error(error)
        }
        context.commitAnswer(reply, { db throws(StoreError) in
            try NotificationSetting.store(db, conversationID: conversationID, userID: callerID, setting)
        }, success: { stored in
            reply.json { writer in stored.write(into: &writer) }
        })
    }
}

extension NotificationSetting: CarriesEvent {
    /// A member's own setting concerns no one else: nothing to publish.
    package var event: ChatEvent? { nil }
}
