import PaceHTTP
import PaceServer
import PaceSystem

/// The HTTP handler of the chat server: routes each request to an operations endpoint or a
/// service, turning routing failures into the API's error answers.
package final class App: HTTPHandler {
    private let router: Router
    /// Body limit for JSON endpoints unless a route says otherwise.
    package static let defaultBodyLimit = 1 << 20

    package init(router: Router) {
        self.router = router
    }

    package func bodyLimit(for request: HTTPRequest) -> Int {
        if case .found(let route, _) = router.match(request.method, path: request.path) { return route.bodyLimit }
        // Unrouted requests are answered 404/405 once their (small) body has been read.
        return 64 * 1024
    }

    package func bodyStream(for request: HTTPRequest) -> BodyStream? {
        guard case .found(let route, _) = router.match(request.method, path: request.path),
              case .streamed(let open, _) = route.action else { return nil }
        return open(request)
    }

    package func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        switch router.match(request.method, path: request.path) {
        case .found(let route, let parameters):
            run(route.action, request, parameters, responder)
        case .methodNotAllowed(let allow):
            let names = allow.map { "\($0.name)" }.joined(separator: ", ")
            respond(APIError(405, "method_not_allowed", "This path does not support \(request.method.name).",
                             headers: [HTTPHeader("Allow", names)]), request, responder)
        case .notFound:
            respond(.notFound, request, responder)
        case .badPath:
            respond(.badRequest("The path is not valid percent-encoded UTF-8."), request, responder)
        }
    }

    private func run(_ action: RouteAction, _ request: HTTPRequest, _ parameters: [String],
                     _ responder: HTTPResponder) {
        switch action {
        case .inline(let answer):
            responder.send(answer(request))
        case .upgrade(let upgrade):
            upgrade(request, responder)
        case .service(let service), .streamed(_, let service):
            let reply = Reply(responder: responder, method: "\(request.method.name)", path: request.pathString,
                              requestID: request.idString, started: Clock.monotonicNanoseconds())
            guard let query = request.queryItems else {
                reply.error(.badRequest("The query string is not valid percent-encoded UTF-8."))
                return
            }
            service(AppRequest(request, parameters: parameters, query: query, client: request.peerString), reply)
        }
    }

    private func respond(_ error: APIError, _ request: HTTPRequest, _ responder: HTTPResponder) {
        Reply(responder: responder, method: "\(request.method.name)", path: request.pathString,
              requestID: request.idString, started: Clock.monotonicNanoseconds()).error(error)
    }
}
