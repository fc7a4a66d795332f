import PaceStore

/// HTTP handlers for reactions: `PUT`/`DELETE …/messages/{mid}/reactions/{emoji}`, 204.
enum ReactionRoutes {
    static func register(in router: inout Router, context: AppContext) {
        let path = "/api/v1/conversations/{id}/messages/{mid}/reactions/{emoji}"
        router.add(.put, path, .authenticated(context) { request, reply, caller in
            react(context, request, reply, callerID: caller.id, adding: true)
        })
        router.add(.delete, path, .authenticated(context) { request, reply, caller in
            react(context, request, reply, callerID: caller.id, adding: false)
        })
    }

    private static func react(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64,
                              adding: Bool) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let messageID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        let emoji = request.parameters[2]
        guard ReactionEmoji.isValid(emoji) else {
            return reply.error(.validation("emoji", "must be one emoji or a :short_name: of 2 to 32 of [a-z0-9_+-]"))
        }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            adding
                ? try ReactionWrites.add(db, conversationID: conversationID, messageID: messageID, userID: callerID,
                                         emoji: emoji, now: now)
                : try ReactionWrites.remove(db, conversationID: conversationID, messageID: messageID, userID: callerID,
                                            emoji: emoji)
        }, success: { _ in
            reply.noContent()
        })
    }
}
