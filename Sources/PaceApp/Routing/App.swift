import PaceHTTP
import PaceServer
import PaceSystem

/// The HTTP handler of the chat server: matches each request's head once to an operations
/// endpoint or a service, turning routing failures into the API's error answers.
package final class App: HTTPHandler {
    private let router: Router
    /// Body limit for JSON endpoints unless a route says otherwise.
    package static let defaultBodyLimit = 1 << 20

    package init(router: Router) {
        self.router = router
    }

    package func exchange(for request: HTTPRequest) -> any HTTPExchange {
        switch router.match(request.method, path: request.path) {
        case .found(let route, let parameters):
            return RouteExchange(route: route, parameters: parameters)
        case .methodNotAllowed(let allow):
            let names = allow.map { "\($0.name)" }.joined(separator: ", ")
            return RejectedExchange(error: APIError(405, "method_not_allowed",
                                                    "This path does not support \(request.method.name).",
                                                    headers: [HTTPHeader("Allow", names)]))
        case .notFound:
            return RejectedExchange(error: .notFound)
        case .badPath:
            return RejectedExchange(error: .badRequest("The path is not valid percent-encoded UTF-8."))
        }
    }
}

/// A request matched to a route: the route's body limit and stream, then its action.
private struct RouteExchange: HTTPExchange {
    let route: Router.Route
    let parameters: [String]

    var bodyLimit: Int { route.bodyLimit }

    func bodyStream(for request: HTTPRequest) -> BodyStream? {
        guard case .streamed(let open, _) = route.action else { return nil }
        return open(request)
    }

    func respond(to request: HTTPRequest, responder: HTTPResponder) {
        switch route.action {
        case .inline(let answer):
            responder.send(answer(request))
        case .upgrade(let upgrade):
            upgrade(request, responder)
        case .service(let service), .streamed(_, let service):
            let reply = Reply(request, responder)
            guard let query = request.queryItems else {
                reply.error(.badRequest("The query string is not valid percent-encoded UTF-8."))
                return
            }
            service(AppRequest(request, parameters: parameters, query: query, client: request.clientString), reply)
        }
    }
}

/// A request no route takes: its (small) body is read, then the error answered.
private struct RejectedExchange: HTTPExchange {
    let error: APIError

    var bodyLimit: Int { 64 * 1024 }

    func respond(to request: HTTPRequest, responder: HTTPResponder) {
        Reply(request, responder).error(error)
    }
}
