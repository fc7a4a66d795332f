import PaceJSON

extension RouteAction {
    /// A service for signed-in users only: without a valid, unrevoked access token it answers
    /// 401 with `WWW-Authenticate: Bearer` and `body` never runs.
    static func authenticated(_ context: AppContext,
                              _ body: @escaping @Sendable (AppRequest, Reply, AuthenticatedUser) -> Void) -> RouteAction {
        .service { request, reply in
            switch context.authenticator.authenticate(request) {
            case .success(let user): body(request, reply, user)
            case .failure(let error): reply.error(error)
            }
        }
    }
}

extension Reply {
    /// The request's JSON object body, or nil after answering the 415/400/422 it deserves.
    func jsonObject(of request: AppRequest) -> JSONObjectReader? {
        do {
            return try request.jsonObject()
        } catch {
            self.error(error)
            return nil
        }
    }
}
