import PaceJSON
import PaceStore

/// HTTP handlers for a conversation's messages: history pages, send (also the compatibility
/// route `POST /conversations/{conversationId}/message`), edit and delete.
enum MessageRoutes {
    static func register(in router: inout Router, context: AppContext, moderation: BlockedWordList,
                         eraser: ContentEraser, throttle: MessageThrottle) {
        router.add(.get, "/api/v1/conversations/{id}/messages", .authenticated(context) { request, reply, caller in
            history(context, request, reply, callerID: caller.id)
        })
        let send = RouteAction.authenticated(context) { request, reply, caller in
            Self.send(context, moderation, throttle, request, reply, callerID: caller.id)
        }
        router.add(.post, "/api/v1/conversations/{id}/messages", bodyLimit: MessageRequests.sendLimit, send)
        router.add(.post, "/conversations/{conversationId}/message", bodyLimit: MessageRequests.requestLimit, send)
        router.add(.patch, "/api/v1/conversations/{id}/messages/{mid}", bodyLimit: MessageRequests.requestLimit,
                   .authenticated(context) { request, reply, caller in
                       edit(context, moderation, request, reply, callerID: caller.id)
                   })
        router.add(.delete, "/api/v1/conversations/{id}/messages/{mid}",
                   .authenticated(context) { request, reply, caller in
                       delete(context, eraser, request, reply, callerID: caller.id)
                   })
    }

    private static func history(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let page: PageRequest
        switch PageRequest.parse(request) {
        case .success(let parsed): page = parsed
        case .failure(let error): return reply.error(error)
        }
        let device = request.queryValue("device_id").map(ResourceID.parse)
        if case .some(nil) = device { return reply.error(.validation("device_id", "must be a device id")) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<MessagePage, APIError> in
            guard try Membership.find(db, conversationID: conversationID, userID: callerID) != nil else {
                return .failure(.notFound)
            }
            if let device = device ?? nil, try DeviceQueries.owned(db, userID: callerID, deviceID: device) == nil {
                return .failure(.validation("device_id", "must be one of your devices"))
            }
            var result = try MessageQueries.page(db, conversationID: conversationID, page, device: device ?? nil)
            try Blocks.flag(db, viewerID: callerID, &result.messages)
            return .success(result)
        }, success: { page in
            reply.json { writer in
                writer.beginObject()
                writer.key("messages")
                MessageEncoder.writeArray(page.messages, into: &writer)
                writer.key("has_more"); writer.bool(page.hasMore)
                writer.endObject()
            }
        })
    }

    private static func send(_ context: AppContext, _ moderation: BlockedWordList, _ throttle: MessageThrottle,
                             _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let message: SendMessage
        switch MessageRequests.send(request, moderation: moderation.current) {
        case .success(let parsed): message = parsed
        case .failure(let error): return reply.error(error)
        }
        if let limited = throttle.check(user: callerID, body: message.body) { return reply.error(limited) }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            try MessageWrites.send(db, conversationID: conversationID, senderID: callerID, message, now: now)
        }, success: { change in answer(context, change, reply, status: change.created ? 201 : 200) })
    }

    private static func edit(_ context: AppContext, _ moderation: BlockedWordList, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let messageID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        let body: String
        switch MessageRequests.edit(request, moderation: moderation.current) {
        case .success(let parsed): body = parsed
        case .failure(let error): return reply.error(error)
        }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            try MessageWrites.edit(db, conversationID: conversationID, messageID: messageID, callerID: callerID,
                                   body: body, now: now)
        }, success: { change in answer(context, change, reply, status: 200) })
    }

    private static func delete(_ context: AppContext, _ eraser: ContentEraser, _ request: AppRequest, _ reply: Reply,
                               callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let messageID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        context.commitAnswer(reply, { db throws(StoreError) in
            try MessageWrites.delete(db, conversationID: conversationID, messageID: messageID, callerID: callerID)
        }, success: { change in
            eraser.eraseLater(change.erasedContent)
            reply.noContent()
        })
    }

    /// Answers with the very bytes the change's event carries.
    private static func answer(_ context: AppContext, _ change: MessageChange, _ reply: Reply, status: Int) {
        var writer = JSONWriter(capacity: change.json.count)
        writer.raw(change.json)
        reply.json(status, writer)
    }
}
