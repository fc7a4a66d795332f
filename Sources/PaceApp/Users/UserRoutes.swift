import PaceJSON
import PaceStore

/// `GET/PATCH /me`, the user directory and its compatibility aliases `GET /users` and
/// `GET /users/{userId}`. Every route needs an access token.
enum UserRoutes {
    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/me", .authenticated(context) { _, reply, caller in
            show(caller.id, context, reply, missing: .invalidToken)
        })
        router.add(.patch, "/api/v1/me", bodyLimit: 16 * 1024, .authenticated(context) { request, reply, caller in
            guard let change = ProfileChange(request, reply) else { return }
            update(caller.id, change, context, reply)
        })
        for path in ["/api/v1/users", "/users"] {
            router.add(.get, path, .authenticated(context) { request, reply, _ in list(request, context, reply) })
        }
        for path in ["/api/v1/users/{id}", "/users/{userId}"] {
            router.add(.get, path, .authenticated(context) { request, reply, _ in
                guard let id = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
                show(id, context, reply, missing: .notFound)
            })
        }
    }

    /// A token whose user does not exist (`missing` for `/me`) is as good as no token.
    private static func show(_ id: Int64, _ context: AppContext, _ reply: Reply, missing: APIError) {
        context.store.read({ database throws(StoreError) in try UserQueries.find(id: id, in: database) },
                           completion: { result in
            switch result {
            case .success(let user?): reply.json { context.write(user, to: &$0) }
            case .success(nil): reply.error(missing)
            case .failure(let failure): reply.error(APIError(storeError: failure))
            }
        })
    }

    private static func update(_ id: Int64, _ change: ProfileChange, _ context: AppContext, _ reply: Reply) {
        context.store.write({ database throws(StoreError) in
            try UserQueries.update(id: id, with: change, in: database)
        }, completion: { result in
            switch result {
            case .success(.updated(let user)): reply.json { context.write(user, to: &$0) }
            case .success(.invalidAvatar):
                reply.error(.validation("avatar_upload_id", "must be an image you uploaded"))
            case .success(.noSuchUser): reply.error(.invalidToken)
            case .failure(let failure): reply.error(APIError(storeError: failure))
            }
        })
    }

    private static func list(_ request: AppRequest, _ context: AppContext, _ reply: Reply) {
        let page: UserPageRequest
        do {
            page = try UserPageRequest(request)
        } catch {
            return reply.error(error)
        }
        context.store.read({ database throws(StoreError) in
            try UserQueries.search(prefix: page.prefix, afterUsername: page.afterUsername, limit: page.limit, in: database)
        }, completion: { result in
            let users: [UserRecord]
            switch result {
            case .success(let found): users = found
            case .failure(let failure): return reply.error(APIError(storeError: failure))
            }
            reply.json { writer in
                writer.beginObject()
                writer.key("users")
                writer.beginArray()
                for user in users.prefix(page.limit) { context.write(user, to: &writer) }
                writer.endArray()
                writer.key("next_cursor")
                writer.stringOrNull(users.count > page.limit ? UserPageRequest.encode(users[page.limit - 1].username) : nil)
                writer.endObject()
            }
        })
    }
}
