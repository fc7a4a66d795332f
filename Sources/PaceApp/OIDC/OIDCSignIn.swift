import PaceCrypto
import PaceJSON
import PaceServer
import PaceStore

/// Sign-in with an external OpenID provider, the authorization code flow with PKCE (S256):
///
/// 1. `GET /api/v1/auth/oidc/start` stores a pending login (state, nonce, verifier) and
///    redirects the browser to the provider.
/// 2. `GET /api/v1/auth/oidc/callback?code&state` takes the pending login (once), trades the
///    code at the token endpoint, verifies the ID token, finds or makes the linked account and
///    redirects to `PACE_OIDC_CLIENT_URL?code=<one-time sign-in code>`.
/// 3. The client posts that code to `POST /api/v1/auth/oidc/token` for the same tokens as
///    `/login`. No cookie is involved anywhere: the state travels in the URL and lives here.
final class OIDCSignIn: Sendable {
    let provider: OIDCProvider?
    private let context: AppContext
    private let rules: OIDCAccounts.NewAccountRules
    /// Sign-ins started per client address (each stores a pending login): the login limit,
    /// `PACE_RATE_LOGIN_PER_IP`, counted separately; nil with `PACE_RATE_LIMITS=off`.
    private let starts: RateLimiter?

    init(context: AppContext) throws {
        self.context = context
        let environment = context.configuration.environment
        rules = OIDCAccounts.NewAccountRules(
            registration: try RegistrationMode.from(environment: environment),
            firstUserAdmin: try environment["PACE_FIRST_USER_ADMIN"]
                .map { text throws(ConfigurationError) in try ServerConfiguration.parseSwitch(text, "PACE_FIRST_USER_ADMIN") } ?? true)
        let limited = environment["PACE_RATE_LIMITS"].map { $0.lowercased() != "off" } ?? true
        starts = limited ? RateLimiter(environment["PACE_RATE_LOGIN_PER_IP"].flatMap(RateLimit.init(parsing:))
                                       ?? RateLimit(count: 30, seconds: 60)) : nil
        provider = try OIDCConfiguration.from(environment: environment).map { configuration in
            try OIDCProvider(configuration: configuration, now: { [context] in context.now() })
        }
    }

    func shutdown() { provider?.shutdown() }

    func start(_ request: AppRequest, _ reply: Reply) {
        guard let provider else { return reply.error(OIDCError.notConfigured.apiError) }
        if let wait = starts?.acquire(request.client) { return reply.error(.rateLimited(retryAfterSeconds: wait)) }
        provider.discovery { [context] result in
            guard case .success(let discovery) = result else { return reply.error(OIDCError.providerUnavailable.apiError) }
            let state = Self.randomText(), nonce = Self.randomText(), verifier = Self.randomText()
            let stateHash = Digest.sha256(Array(state.utf8)), now = context.now()
            let login = OIDCAccounts.PendingLogin(nonce: nonce, verifier: verifier)
            context.writeAnswer(reply, { db throws(StoreError) in
                .success(try OIDCAccounts.begin(stateHash: stateHash, login, now: now, in: db))
            }, success: { _ in
                let configuration = provider.configuration
                let challenge = Base64.url.encode(Digest.sha256(Array(verifier.utf8)))
                let location = FormEncoding.appending([
                    ("response_type", "code"), ("client_id", configuration.clientID),
                    ("redirect_uri", configuration.redirectURI), ("scope", configuration.scope),
                    ("state", state), ("nonce", nonce),
                    ("code_challenge", challenge), ("code_challenge_method", "S256"),
                ], to: discovery.authorizationEndpoint)
                reply.send(Self.redirect(to: location))
            })
        }
    }

    func callback(_ request: AppRequest, _ reply: Reply) {
        guard let provider else { return reply.error(OIDCError.notConfigured.apiError) }
        if let refusal = request.queryValue("error") {
            return reply.error(OIDCError.providerRefused(String(refusal.prefix(64))).apiError)
        }
        guard let state = request.queryValue("state"), state.utf8.count <= 256 else {
            return reply.error(OIDCError.stateMismatch.apiError)
        }
        guard let code = request.queryValue("code"), (1...2048).contains(code.utf8.count) else {
            return reply.error(.badRequest("The callback needs the code parameter."))
        }
        let stateHash = Digest.sha256(Array(state.utf8)), now = context.now()
        context.writeAnswer(reply, { db throws(StoreError) in
            guard let login = try OIDCAccounts.take(stateHash: stateHash, now: now, in: db) else {
                return .failure(OIDCError.stateMismatch.apiError)
            }
            return .success(login)
        }, success: { [self] login in
            verify(code: code, login: login, provider: provider) { result in
                switch result {
                case .success(let claims): self.finish(claims, provider: provider, reply)
                case .failure(let error): reply.error(error.apiError)
                }
            }
        })
    }

    /// `{code}` from the client redirect, for `{user, access_token, refresh_token, …}`.
    func token(_ request: AppRequest, _ reply: Reply) {
        guard provider != nil else { return reply.error(OIDCError.notConfigured.apiError) }
        guard var body = reply.jsonObject(of: request) else { return }
        guard let code = body.string("code", required: true) else { return reply.error(.validation(body.problems)) }
        let hash = Digest.sha256(Array(code.utf8)), token = NewRefreshToken(), family = TokenFamily(), now = context.now()
        context.writeAnswer(reply, { db throws(StoreError) in
            try OIDCAccounts.redeem(code: hash, token: token, family: family, now: now, in: db)
        }, success: { [context] user in
            reply.json { Session(user: user, family: family, refreshToken: token).write(to: &$0, context: context) }
        })
    }

    /// Code exchange, key lookup and ID token checks; the verification runs on the blocking pool.
    private func verify(code: String, login: OIDCAccounts.PendingLogin, provider: OIDCProvider,
                        _ completion: @escaping @Sendable (Result<IDTokenClaims, OIDCError>) -> Void) {
        let configuration = provider.configuration
        let expected = IDTokenExpectations(issuer: configuration.issuer, clientID: configuration.clientID, nonce: login.nonce)
        provider.discovery { [context] result in
            guard case .success(let discovery) = result else { return completion(.failure(.providerUnavailable)) }
            provider.exchange(code: code, verifier: login.verifier, tokenEndpoint: discovery.tokenEndpoint) { result in
                let token: IDToken
                switch result.flatMap(IDToken.parse) {
                case .success(let parsed): token = parsed
                case .failure(let error): return completion(.failure(error))
                }
                provider.key(for: token, jwksURI: discovery.jwksURI) { result in
                    switch result {
                    case .success(let key):
                        let submitted = context.pool.submit {
                            completion(token.verify(with: key, expected, now: context.now() / 1000))
                        }
                        if !submitted { completion(.failure(.providerUnavailable)) }
                    case .failure(let error):
                        completion(.failure(error))
                    }
                }
            }
        }
    }

    private func finish(_ claims: IDTokenClaims, provider: OIDCProvider, _ reply: Reply) {
        let code = Self.randomText(), hash = Digest.sha256(Array(code.utf8)), now = context.now()
        let issuer = provider.configuration.issuer, rules = self.rules
        context.writeAnswer(reply, { db throws(StoreError) in
            try OIDCAccounts.complete(issuer: issuer, claims: claims, rules: rules, code: hash, now: now, in: db)
        }, success: { _ in
            reply.send(Self.redirect(to: FormEncoding.appending([("code", code)], to: provider.configuration.clientURL)))
        })
    }

    private static func redirect(to location: String) -> HTTPResponse {
        HTTPResponse(status: 302, headers: [HTTPHeader("Location", location), HTTPHeader("Cache-Control", "no-store")])
    }

    /// 256 random bits, Base64url: states, nonces, PKCE verifiers (RFC 7636 §4.1) and sign-in codes.
    private static func randomText() -> String {
        Base64.url.encode(SecureRandom.bytes(32))
    }
}
