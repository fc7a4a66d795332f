/// The account routes, with the compatibility aliases `POST /register` and `POST /login`.
enum AuthRoutes {
    static let bodyLimit = 16 * 1024

    static func register(in router: inout Router, accounts: Accounts) {
        for path in ["/api/v1/auth/register", "/register"] {
            router.add(.post, path, bodyLimit: bodyLimit, .service { accounts.register($0, $1) })
        }
        for path in ["/api/v1/auth/login", "/login"] {
            router.add(.post, path, bodyLimit: bodyLimit, .service { accounts.login($0, $1) })
        }
        router.add(.post, "/api/v1/auth/refresh", bodyLimit: bodyLimit, .service { accounts.refresh($0, $1) })
        router.add(.post, "/api/v1/auth/logout", bodyLimit: bodyLimit, .service { accounts.logout($0, $1) })
    }
}
