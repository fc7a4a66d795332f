import PaceCrypto
import PaceJSON
import PaceServer
import PaceStore
import PaceSystem

/// OAuth 2.0 for clients that speak it: the token endpoint (RFC 6749 §4.3 password and §6
/// refresh_token grants, form-encoded, §5.2 errors) issuing exactly the tokens `/login` does,
/// revocation (RFC 7009) and the server metadata document (RFC 8414). Clients are public: no
/// client authentication, and there are no scopes.
enum OAuthRoutes {
    static let noStore = [HTTPHeader("Cache-Control", "no-store"), HTTPHeader("Pragma", "no-cache")]
    static let bodyLimit = 16 * 1024

    static func register(in router: inout Router, accounts: Accounts, context: AppContext, scheme: String) {
        router.add(.post, "/oauth/token", bodyLimit: bodyLimit, .service { request, reply in
            token(request, reply, accounts, context)
        })
        router.add(.post, "/oauth/revoke", bodyLimit: bodyLimit, .service { request, reply in
            guard let form = OAuthForm(request) else {
                return reply.send(OAuthError.invalidRequest("The body must be application/x-www-form-urlencoded.").response)
            }
            guard let token = form["token"] else { return reply.send(OAuthError.invalidRequest("token is required.").response) }
            // RFC 7009 §2.2: unknown and already revoked tokens also answer 200.
            accounts.revoke(anyToken: token) { _ in reply.send(HTTPResponse(status: 200, headers: noStore)) }
        })
        router.add(.get, "/.well-known/oauth-authorization-server", .service { request, reply in
            let issuer = context.configuration.environment["PACE_PUBLIC_URL"]
                ?? "\(scheme)://\(request.host ?? "localhost")"
            reply.json { metadata(issuer: issuer, to: &$0) }
        })
    }

    private static func token(_ request: AppRequest, _ reply: Reply, _ accounts: Accounts, _ context: AppContext) {
        guard let form = OAuthForm(request) else {
            return reply.send(OAuthError.invalidRequest("The body must be application/x-www-form-urlencoded with each parameter once.").response)
        }
        let answer: @Sendable (Result<Session, APIError>) -> Void = { result in
            switch result {
            case .success(let session):
                var writer = JSONWriter(capacity: 512)
                session.write(to: &writer, context: context)
                reply.send(HTTPResponse(status: 200, contentType: "application/json", headers: noStore, body: .bytes(writer.bytes)))
            case .failure(let error):
                reply.send(OAuthError(error).response)
            }
        }
        switch form["grant_type"] {
        case "password":
            guard let username = form["username"], let password = form["password"] else {
                return reply.send(OAuthError.invalidRequest("username and password are required.").response)
            }
            accounts.signIn(username: username, password: password, client: request.client, completion: answer)
        case "refresh_token":
            guard let token = form["refresh_token"] else {
                return reply.send(OAuthError.invalidRequest("refresh_token is required.").response)
            }
            accounts.rotate(NewRefreshToken.hash(of: token), completion: answer)
        case nil:
            reply.send(OAuthError.invalidRequest("grant_type is required.").response)
        default:
            reply.send(OAuthError.unsupportedGrant.response)
        }
    }

    private static func metadata(issuer: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("issuer"); writer.string(issuer)
        writer.key("token_endpoint"); writer.string(issuer + "/oauth/token")
        writer.key("revocation_endpoint"); writer.string(issuer + "/oauth/revoke")
        writer.key("grant_types_supported"); writer.beginArray(); writer.string("password"); writer.string("refresh_token")
        writer.endArray()
        // No authorization endpoint, so no response types.
        writer.key("response_types_supported"); writer.beginArray(); writer.endArray()
        writer.key("token_endpoint_auth_methods_supported"); writer.beginArray(); writer.string("none"); writer.endArray()
        writer.key("revocation_endpoint_auth_methods_supported"); writer.beginArray(); writer.string("none"); writer.endArray()
        writer.endObject()
    }
}
