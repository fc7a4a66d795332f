import PaceHTTP
import PaceServer

/// `GET /api/v1/ws`: authenticates the upgrade (Bearer header or `access_token` query),
/// checks `Origin` against the `OriginPolicy`, and hands the connection to a `ChatSocket`.
enum RealtimeRoute {
    static func register(in router: inout Router, context: AppContext, hub: Hub, actions: ChatActions) {
        router.add(.get, "/api/v1/ws", .upgrade { request, responder in
            guard hub.isAttached else { return responder.send(APIError.unavailable.response) }
            guard let query = request.queryItems else {
                return responder.send(APIError.badRequest("The query string is not valid percent-encoded UTF-8.").response)
            }
            let since = query.first { $0.name == "since" }.map { Int64($0.value).flatMap { $0 >= 0 ? $0 : nil } }
            if case .some(nil) = since {
                return responder.send(APIError.badRequest("since must be a sequence number (0 or more).").response)
            }
            let device = query.first { $0.name == "device_id" }.map { ResourceID.parse($0.value) }
            if case .some(nil) = device {
                return responder.send(APIError.badRequest("device_id must be a device id.").response)
            }
            switch authorize(request, query: query, context: context, hub: hub) {
            case .failure(let error):
                responder.send(error.response)
            case .success(let user):
                switch WebSocketUpgrade.accept(request, configuration: hub.configuration.socket) {
                case .failure(let error):
                    responder.send(WebSocketUpgrade.rejection(error))
                case .success(let acceptance):
                    let socket = ChatSocket(user: user, since: since ?? nil, deviceID: device ?? nil, hub: hub,
                                            actions: actions)
                    responder.upgrade(acceptance, handler: socket, configuration: hub.configuration.socket)
                }
            }
        })
        SeedTwoSocketRoute.register(in: &router, context: context, hub: hub, actions: actions)
    }

    static func authorize(_ request: HTTPRequest, query: [(name: String, value: String)], context: AppContext,
                                  hub: Hub) -> Result<AuthenticatedUser, APIError> {
        guard hub.configuration.origins.allows(origin: request.header("origin"), host: request.header("host")) else {
            return .failure(.forbidden("This origin may not open a chat socket."))
        }
        let token = AppRequest.bearer(request.header("authorization")) ?? query.first { $0.name == "access_token" }?.value
        guard let token else { return .failure(.unauthorized) }
        return context.authenticator.authenticate(token: token)
    }
}
