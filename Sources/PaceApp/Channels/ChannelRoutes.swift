import PaceJSON
import PaceStore

/// HTTP handlers for public channels: discovery, join and leave, settings, archiving, and
/// muting members. Registered before the conversation routes, so `/conversations/public` is
/// not taken for a conversation id.
enum ChannelRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/conversations/public", .authenticated(context) { request, reply, caller in
            discover(context, request, reply, callerID: caller.id)
        })
        router.add(.post, "/api/v1/conversations/{id}/join", .authenticated(context) { request, reply, caller in
            join(context, request, reply, callerID: caller.id)
        })
        router.add(.post, "/api/v1/conversations/{id}/leave", .authenticated(context) { request, reply, caller in
            leave(context, request, reply, callerID: caller.id)
        })
        router.add(.patch, "/api/v1/conversations/{id}/channel", bodyLimit: 64 * 1024,
                   .authenticated(context) { request, reply, caller in
                       update(context, request, reply, callerID: caller.id)
                   })
        // Literal paths, one per route: Tests/contract/routes.py matches them against openapi.yaml.
        router.add(.post, "/api/v1/conversations/{id}/archive", .authenticated(context) { request, reply, caller in
            setArchived(context, request, reply, callerID: caller.id, true)
        })
        router.add(.post, "/api/v1/conversations/{id}/unarchive", .authenticated(context) { request, reply, caller in
            setArchived(context, request, reply, callerID: caller.id, false)
        })
        router.add(.patch, "/api/v1/conversations/{id}/members/{user_id}", bodyLimit: 4096,
                   .authenticated(context) { request, reply, caller in
                       updateMember(context, request, reply, callerID: caller.id)
                   })
    }

    private static func discover(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        let limit = request.queryValue("limit").map { Int($0) ?? 0 } ?? ChannelQueries.defaultLimit
        guard (1...ChannelQueries.maximumLimit).contains(limit) else {
            return reply.error(.validation("limit", "must be 1 to \(ChannelQueries.maximumLimit)"))
        }
        let query = request.queryValue("q") ?? ""
        guard query.utf8.count <= 200 else { return reply.error(.validation("q", "must be at most 200 bytes")) }
        let cursor = request.queryValue("cursor") ?? ""
        guard cursor.utf8.count <= 4 * ChannelName.maximumLength else { return reply.error(.validation("cursor", "is malformed")) }
        context.readAnswer(reply, { db throws(StoreError) in
            .success(try ChannelQueries.discover(db, userID: callerID, query: query, cursor: cursor, limit: limit))
        }, success: { page in
            reply.json { writer in
                writer.beginObject()
                writer.key("channels")
                writer.beginArray()
                for listing in page.channels { ChannelQueries.write(listing, into: &writer) }
                writer.endArray()
                writer.key("next_cursor"); writer.stringOrNull(page.nextCursor)
                writer.endObject()
            }
        })
    }

    private static func join(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            try ChannelWrites.join(db, conversationID: conversationID, callerID: callerID, now: now)
        }, success: { change in ConversationRoutes.answer(context, change, reply, status: 200) })
    }

    private static func leave(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        context.commitAnswer(reply, { db throws(StoreError) in
            try MembershipWrites.remove(db, conversationID: conversationID, callerID: callerID, userID: callerID)
        }, success: { _ in reply.noContent() })
    }

    private static func update(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let settings: ChannelSettings
        switch ChannelRequests.settings(request) {
        case .success(let parsed): settings = parsed
        case .failure(let error): return reply.error(error)
        }
        context.commitAnswer(reply, { db throws(StoreError) in
            try ChannelWrites.update(db, conversationID: conversationID, callerID: callerID, settings)
        }, success: { change in ConversationRoutes.answer(context, change, reply, status: 200) })
    }

    private static func setArchived(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64,
                                    _ archived: Bool) {
        guard let conversationID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        context.commitAnswer(reply, { db throws(StoreError) in
            try ChannelWrites.setArchived(db, conversationID: conversationID, callerID: callerID, archived)
        }, success: { change in ConversationRoutes.answer(context, change, reply, status: 200) })
    }

    private static func updateMember(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let conversationID = ResourceID.parse(request.parameters[0]),
              let userID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
        let update: MemberUpdate
        switch ChannelRequests.memberUpdate(request) {
        case .success(let parsed): update = parsed
        case .failure(let error): return reply.error(error)
        }
        context.commitAnswer(reply, { db throws(StoreError) in
            try ChannelWrites.updateMember(db, conversationID: conversationID, callerID: callerID, userID: userID, update)
        }, success: { change in ConversationRoutes.answer(context, change, reply, status: 200) })
    }
}
