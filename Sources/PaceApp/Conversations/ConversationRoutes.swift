import PaceJSON
import PaceStore

/// HTTP handlers for conversations: create (direct get-or-create, group), list, show, rename.
/// Each authenticates, validates its input on the loop thread, then does its SQL on a store
/// thread and answers from there; changes are published after they are durable.
enum ConversationRoutes {
    static let bodyLimit = 64 * 1024

    static func register(in router: inout Router, context: AppContext) {
        let create = RouteAction.authenticated(context) { request, reply, caller in
            Self.create(context, request, reply, callerID: caller.id)
        }
        router.add(.post, "/api/v1/conversations", bodyLimit: bodyLimit, create)
        router.add(.post, "/conversations", bodyLimit: bodyLimit, create)
        router.add(.get, "/api/v1/conversations", .authenticated(context) { request, reply, caller in
            list(context, request, reply, callerID: caller.id)
        })
        let show = RouteAction.authenticated(context) { request, reply, caller in
            Self.show(context, request, reply, callerID: caller.id)
        }
        router.add(.get, "/api/v1/conversations/{id}", show)
        router.add(.get, "/conversations/{conversationId}", show)
        router.add(.patch, "/api/v1/conversations/{id}", bodyLimit: 4096,
                   .authenticated(context) { request, reply, caller in
                       rename(context, request, reply, callerID: caller.id)
                   })
    }

    private static func create(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        let body: CreateConversation
        switch ConversationRequests.create(request, callerID: callerID) {
        case .success(let parsed): body = parsed
        case .failure(let error): return reply.error(error)
        }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            switch body {
            case .direct(let otherID):
                try ConversationWrites.createDirect(db, callerID: callerID, otherID: otherID, now: now)
            case .group(let title, let memberIDs):
                try ConversationWrites.createGroup(db, callerID: callerID, title: title, memberIDs: memberIDs, now: now)
            case .channel(let draft):
                try ChannelWrites.create(db, callerID: callerID, draft, now: now)
            }
        }, success: { change in answer(context, change, reply, status: change.created ? 201 : 200) })
    }

    private static func list(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        context.readAnswer(reply, { db throws(StoreError) in
            .success(try ConversationQueries.list(db, userID: callerID))
        }, success: { views in
            reply.json { writer in
                writer.beginObject()
                writer.key("conversations")
                writer.beginArray()
                for view in views { ConversationEncoder.write(view, into: &writer) }
                writer.endArray()
                writer.endObject()
            }
        })
    }

    /// The conversation plus its latest page of messages, read in one snapshot; with
    /// `?device_id=` (one of the caller's devices), encrypted messages carry its ciphertexts.
    private static func show(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let device = request.queryValue("device_id").map(ResourceID.parse)
        if case .some(nil) = device { return reply.error(.validation("device_id", "must be a device id")) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<(ConversationView, MessagePage), APIError> in
            guard let view = try ConversationQueries.view(db, conversationID: conversationID, userID: callerID) else {
                return .failure(.notFound)
            }
            if let device = device ?? nil, try DeviceQueries.owned(db, userID: callerID, deviceID: device) == nil {
                return .failure(.validation("device_id", "must be one of your devices"))
            }
            var page = try MessageQueries.page(db, conversationID: conversationID, PageRequest(), device: device ?? nil)
            try Blocks.flag(db, viewerID: callerID, &page.messages)
            return .success((view, page))
        }, success: { view, page in
            reply.json { writer in ConversationEncoder.write(view, messages: page, into: &writer) }
        })
    }

    private static func rename(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let title: String
        switch ConversationRequests.rename(request) {
        case .success(let parsed): title = parsed
        case .failure(let error): return reply.error(error)
        }
        context.commitAnswer(reply, { db throws(StoreError) in
            try ConversationWrites.rename(db, conversationID: conversationID, callerID: callerID, title: title)
        }, success: { change in answer(context, change, reply, status: 200) })
    }

    /// Answers with the caller's view of the conversation.
    static func answer(_ context: AppContext, _ change: ConversationChange, _ reply: Reply, status: Int) {
        reply.json(status) { writer in ConversationEncoder.write(change.view, into: &writer) }
    }
}
