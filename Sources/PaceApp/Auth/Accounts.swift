import PaceCrypto
import PaceJSON
import PaceServer
import PaceStore

/// Registration, login, refresh and logout. Password hashing runs on the blocking pool and
/// every database access on the store's threads, so the event loop only parses and hands off.
final class Accounts: Sendable {
    let context: AppContext
    private let hasher: PasswordHasher
    private let limits: AuthRateLimits
    /// Whether the first account registered on an empty server becomes its admin
    /// (`PACE_FIRST_USER_ADMIN`, on by default).
    private let firstUserAdmin: Bool
    private let registration: RegistrationMode

    static let invalidCredentials = APIError(401, "invalid_credentials", "The username or password is wrong.")
    static let invalidRefreshToken = APIError(401, "unauthorized", "The refresh token is invalid, expired or revoked.",
                                              headers: [HTTPHeader("WWW-Authenticate", "Bearer")])

    /// Also restores, from the database, the revocations whose access tokens may still be
    /// alive, so a logout made just before a restart still holds after it.
    init(context: AppContext) throws {
        self.context = context
        hasher = try PasswordHashing.hasher(environment: context.configuration.environment)
        limits = try AuthRateLimits(environment: context.configuration.environment, sharing: context.rateLimits)
        firstUserAdmin = try context.configuration.environment["PACE_FIRST_USER_ADMIN"]
            .map { text throws(ConfigurationError) in try ServerConfiguration.parseSwitch(text, "PACE_FIRST_USER_ADMIN") } ?? true
        registration = try RegistrationMode.from(environment: context.configuration.environment)
        let since = context.now() - context.authenticator.accessTokenSeconds * 1000
        let families = try context.store.readNow { database throws(StoreError) in
            try RefreshTokens.revokedFamilies(since: since, in: database)
        }
        for family in families { context.authenticator.revoke(family: family.id) }
    }

    func register(_ request: AppRequest, _ reply: Reply) {
        guard let form = RegistrationForm(request, reply) else { return }
        switch registration {
        case .open: break
        case .closed: return reply.error(.registrationClosed)
        case .invite where form.inviteCode == nil: return reply.error(.inviteRequired)
        case .invite: break
        }
        if let limited = limits.check(.register, client: request.client, username: form.username) {
            return reply.error(limited)
        }
        context.hashing.submit { [self] in
            let hash: String
            do {
                hash = try hasher.hash(Array(form.password.utf8))
            } catch {
                return reply.error(.internalError)
            }
            let family = TokenFamily(), token = NewRefreshToken(), now = context.now()
            let invite = registration == .invite ? form.inviteCode : nil
            context.store.write({ [firstUserAdmin] database throws(StoreError) -> Result<UserRecord, APIError> in
                if let invite, let refused = try Invites.redeem(invite, now: now, in: database) { return .failure(refused) }
                return .success(try Self.insertUser(form, hash: hash, token: token, family: family, now: now,
                                                    firstUserAdmin: firstUserAdmin, in: database))
            }, completion: { [context] result in
                switch result {
                case .success(.failure(let refused)):
                    reply.error(refused)
                case .success(.success(let user)):
                    reply.json(201) { Session(user: user, family: family, refreshToken: token).write(to: &$0, context: context) }
                case .failure(.constraint(kind: .unique, _)):
                    reply.error(.conflict("username_taken", "That username is already taken."))
                case .failure(let failure):
                    reply.error(APIError(storeError: failure))
                }
            })
        }
    }

    func login(_ request: AppRequest, _ reply: Reply) {
        guard var body = reply.jsonObject(of: request) else { return }
        let rawUsername = body.string("username", required: true)
        let password = body.string("password", required: true)
        guard let rawUsername, let password, body.problems.isEmpty else { return reply.error(.validation(body.problems)) }
        signIn(username: rawUsername, password: password, client: request.client) { [context] result in
            switch result {
            case .success(let session): reply.json { session.write(to: &$0, context: context) }
            case .failure(let error): reply.error(error)
            }
        }
    }

    /// Checks the credentials and opens a session: `/login` and the OAuth password grant.
    func signIn(username rawUsername: String, password: String, client: String,
                completion: @escaping @Sendable (Result<Session, APIError>) -> Void) {
        let username = CredentialRules.canonicalUsername(rawUsername)
        if let limited = limits.check(.login, client: client, username: username) { return completion(.failure(limited)) }
        context.store.read({ database throws(StoreError) in
            try database.queryFirst("""
                SELECT \(UserRecord.columns), password_hash, deactivated_at IS NOT NULL FROM users WHERE username = ?
                """, [.text(username)]) { (user: UserRecord(row: $0), hash: $0.string(8), deactivated: $0.bool(9)) }
        }, completion: { [self] result in
            let found: (user: UserRecord, hash: String, deactivated: Bool)?
            switch result {
            case .success(let value): found = value
            case .failure(let failure): return completion(.failure(APIError(storeError: failure)))
            }
            context.hashing.submit { [self] in
                let password = Array(password.utf8)
                guard let found else {
                    hasher.dummyVerify(password)
                    return completion(.failure(Self.invalidCredentials))
                }
                guard hasher.verify(password, encoded: found.hash) else { return completion(.failure(Self.invalidCredentials)) }
                // Only after the password matched, so the refusal tells nothing to a guesser.
                if found.deactivated { return completion(.failure(.accountDeactivated)) }
                startSession(for: found.user, completion: completion)
            }
        })
    }

    /// Whether `password` is `userID`'s, under the login rate limits: the re-check before an
    /// irreversible action such as deleting the account.
    func checkPassword(userID: Int64, password: String, client: String,
                       completion: @escaping @Sendable (Result<Void, APIError>) -> Void) {
        context.store.read({ database throws(StoreError) in
            try database.queryFirst("SELECT username, password_hash FROM users WHERE id = ?1", [.integer(userID)]) {
                (username: $0.string(0), hash: $0.string(1))
            }
        }, completion: { [self] result in
            guard case .success(let found?) = result else { return completion(.failure(.notFound)) }
            if let limited = limits.check(.login, client: client, username: found.username) { return completion(.failure(limited)) }
            context.hashing.submit { [hasher] in
                completion(hasher.verify(Array(password.utf8), encoded: found.hash)
                           ? .success(()) : .failure(AccountDeletion.passwordIncorrect))
            }
        })
    }

    func refresh(_ request: AppRequest, _ reply: Reply) {
        guard let presented = Self.refreshToken(of: request, reply) else { return }
        rotate(presented) { [context] result in
            switch result {
            case .success(let session): reply.json { session.write(to: &$0, context: context) }
            case .failure(let error): reply.error(error)
            }
        }
    }

    /// Trades the refresh token whose hash is `presented` for a new one in the same session.
    func rotate(_ presented: [UInt8], completion: @escaping @Sendable (Result<Session, APIError>) -> Void) {
        let successor = NewRefreshToken(), now = context.now()
        context.store.write({ database throws(StoreError) in
            try RefreshTokens.rotate(presented: presented, successor: successor, now: now, in: database)
        }, completion: { [context] result in
            switch result {
            case .success(.rotated(let user, let family)):
                completion(.success(Session(user: user, family: family, refreshToken: successor)))
            case .success(.reused(let family)):
                context.authenticator.revoke(family: family.id)
                completion(.failure(Self.invalidRefreshToken))
            case .success(.invalid):
                completion(.failure(Self.invalidRefreshToken))
            case .failure(let failure):
                completion(.failure(APIError(storeError: failure)))
            }
        })
    }

    /// Revokes the session of a refresh token or of an access token Pace signed (RFC 7009);
    /// anything else changes nothing.
    func revoke(anyToken token: String, completion: @escaping @Sendable (Result<Void, APIError>) -> Void) {
        let now = context.now()
        let accessFamily: TokenFamily? = switch context.authenticator.codec.verify(token, now: now / 1000) {
        case .success(let claims): Base64.url.decode(Array(claims.family.utf8)).map(TokenFamily.init(bytes:))
        case .failure: nil
        }
        let presented = NewRefreshToken.hash(of: token)
        context.store.write({ database throws(StoreError) -> TokenFamily? in
            if let accessFamily {
                try RefreshTokens.revoke(accessFamily, now: now, in: database)
                return accessFamily
            }
            return try RefreshTokens.revokeFamily(ofToken: presented, now: now, in: database)
        }, completion: { [context] result in
            switch result {
            case .success(let family):
                if let family { context.authenticator.revoke(family: family.id) }
                completion(.success(()))
            case .failure(let failure):
                completion(.failure(APIError(storeError: failure)))
            }
        })
    }

    /// Revokes the token's whole family. An unknown token answers 204 too: logging out is
    /// idempotent and the answer reveals nothing about which tokens exist.
    func logout(_ request: AppRequest, _ reply: Reply) {
        guard let presented = Self.refreshToken(of: request, reply) else { return }
        let now = context.now()
        context.store.write({ database throws(StoreError) in
            try RefreshTokens.revokeFamily(ofToken: presented, now: now, in: database)
        }, completion: { [context] result in
            switch result {
            case .success(let family):
                if let family { context.authenticator.revoke(family: family.id) }
                reply.noContent()
            case .failure(let failure):
                reply.error(APIError(storeError: failure))
            }
        })
    }

    /// A new family with its first refresh token, handed on once durably stored.
    private func startSession(for user: UserRecord, completion: @escaping @Sendable (Result<Session, APIError>) -> Void) {
        let family = TokenFamily(), token = NewRefreshToken(), now = context.now()
        context.store.write({ database throws(StoreError) in
            try RefreshTokens.insert(token, userID: user.id, family: family, now: now, in: database)
        }, completion: { result in
            if case .failure(let failure) = result { return completion(.failure(APIError(storeError: failure))) }
            completion(.success(Session(user: user, family: family, refreshToken: token)))
        })
    }

    /// The first account of an empty server becomes its admin: the writer runs one
    /// transaction at a time, so two first registrations cannot both see an empty table.
    private static func insertUser(_ form: RegistrationForm, hash: String, token: NewRefreshToken, family: TokenFamily,
                                   now: Int64, firstUserAdmin: Bool,
                                   in database: any StoreTransaction) throws(StoreError) -> UserRecord {
        let id = try database.queryFirst("""
            INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id
            """, [.text(form.username), .text(form.displayName), .text(hash), .integer(now)]) { $0.int64(0) } ?? 0
        if firstUserAdmin {
            try database.run("""
                UPDATE users SET role = 'admin', server_role = 'admin'
                WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM users WHERE id <> ?1)
                """, [.integer(id)])
        }
        try RefreshTokens.insert(token, userID: id, family: family, now: now, in: database)
        guard let user = try UserQueries.find(id: id, in: database) else {
            throw StoreError.misuse(message: "the inserted user \(id) is missing")
        }
        return user
    }

    /// The SHA-256 of the body's `refresh_token`, or nil after answering 4xx.
    private static func refreshToken(of request: AppRequest, _ reply: Reply) -> [UInt8]? {
        guard var body = reply.jsonObject(of: request) else { return nil }
        guard let token = body.string("refresh_token", required: true) else {
            reply.error(.validation(body.problems))
            return nil
        }
        return NewRefreshToken.hash(of: token)
    }
}
