/// The three routes of OpenID Connect sign-in; registered whether or not a provider is
/// configured (unconfigured, they answer 404 `oidc_not_configured`).
enum OIDCRoutes {
    static func register(in router: inout Router, signIn: OIDCSignIn) {
        router.add(.get, "/api/v1/auth/oidc/start", .service { request, reply in signIn.start(request, reply) })
        router.add(.get, "/api/v1/auth/oidc/callback", .service { request, reply in signIn.callback(request, reply) })
        router.add(.post, "/api/v1/auth/oidc/token", bodyLimit: 4096, .service { request, reply in signIn.token(request, reply) })
    }
}
