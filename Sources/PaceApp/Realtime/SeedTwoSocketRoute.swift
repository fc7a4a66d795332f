import PaceHTTP
import PaceServer
import PaceStore

/// `GET /api/v1/chat/ws/conversations/{id}`: the seed-002 WebSocket of one conversation.
/// Authenticated like `/api/v1/ws` (Bearer header or `access_token` query, `Origin` policy);
/// the caller's membership is read before the 101, so a stranger gets 404 and no socket. The
/// connection is an ordinary `ChatSocket` bound to the conversation (`conversationScope`).
enum SeedTwoSocketRoute {
    static func register(in router: inout Router, context: AppContext, hub: Hub, actions: ChatActions) {
        router.add(.get, "/api/v1/chat/ws/conversations/{id}", .upgrade { request, responder in
            guard hub.isAttached else { return responder.send(APIError.unavailable.response) }
            guard let conversationID = conversation(in: request.pathString) else {
                return responder.send(APIError.notFound.response)
            }
            guard let query = request.queryItems else {
                return responder.send(APIError.badRequest("The query string is not valid percent-encoded UTF-8.").response)
            }
            let user: AuthenticatedUser
            switch RealtimeRoute.authorize(request, query: query, context: context, hub: hub) {
            case .failure(let error): return responder.send(error.response)
            case .success(let authorized): user = authorized
            }
            let acceptance: WebSocketAcceptance
            switch WebSocketUpgrade.accept(request, configuration: hub.configuration.socket) {
            case .failure(let error): return responder.send(WebSocketUpgrade.rejection(error))
            case .success(let accepted): acceptance = accepted
            }
            context.store.read({ db throws(StoreError) in
                try Membership.find(db, conversationID: conversationID, userID: user.id) != nil
            }, completion: { result in
                switch result {
                case .success(true):
                    responder.upgradeLater(acceptance, configuration: hub.configuration.socket) {
                        ChatSocket(user: user, since: nil, conversationScope: conversationID, hub: hub, actions: actions)
                    }
                case .success(false):
                    responder.send(APIError.notFound.response)
                case .failure(let error):
                    responder.send(APIError(storeError: error).response)
                }
            })
        })
    }

    /// The `{id}` of the request's path (the router matched the template, so it is the last segment).
    private static func conversation(in path: String) -> Int64? {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let last = withoutQuery.split(separator: "/").last else { return nil }
        return ResourceID.parse(String(last))
    }
}
