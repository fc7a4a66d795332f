import PaceStore

/// `DELETE /api/v1/me` (`{password}`, re-checked) and `DELETE /api/v1/admin/users/{id}`: both
/// answer 204 once the account is anonymised and its sessions revoked; its sockets close with
/// 4003 and its messages are erased in the background (see `AccountDeletion`).
enum AccountDeletionRoutes {
    static func register(in router: inout Router, context: AppContext, hub: Hub, accounts: Accounts,
                         eraser: ContentEraser, statistics: AdminStatistics) {
        router.add(.delete, "/api/v1/me", bodyLimit: 4096, .authenticated(context) { request, reply, user in
            guard var body = reply.jsonObject(of: request) else { return }
            guard let password = body.string("password", required: true) else { return reply.error(.validation(body.problems)) }
            accounts.checkPassword(userID: user.id, password: password, client: request.client) { result in
                if case .failure(let error) = result { return reply.error(error) }
                let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
                delete(user.id, by: caller, context: context, hub: hub, eraser: eraser, reply)
            }
        })
        router.add(.delete, "/api/v1/admin/users/{id}", .authenticated(context) { request, reply, user in
            guard let target = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let caller = AdminCaller(id: user.id, client: request.client, now: context.now(), statistics: statistics)
            delete(target, by: caller, context: context, hub: hub, eraser: eraser, reply)
        })
    }

    private static func delete(_ target: Int64, by caller: AdminCaller, context: AppContext, hub: Hub,
                               eraser: ContentEraser, _ reply: Reply) {
        context.writeAnswer(reply, { db throws(StoreError) in
            try AccountDeletion.delete(target, by: caller, in: db)
        }, success: { deleted in
            hub.deactivate(user: target)
            for family in deleted.families { context.authenticator.revoke(family: family.id) }
            eraser.eraseLater(deleted.files)
            let store = context.store
            _ = context.pool.submit { AccountDeletion.eraseAllMessages(of: target, store: store, eraser: eraser) }
            reply.noContent()
        })
    }
}
