import PaceCrypto
import PaceJSON
import PaceStore

/// Bot accounts: created, listed and given or stripped of tokens by their owner; a token is
/// exchanged for an access token (`POST /api/v1/auth/bot`) with which the bot uses REST and the
/// WebSocket like anyone. Each token is its own token family (`bot-<id>`), so revoking it
/// invalidates the access tokens it issued and closes their sockets at once.
enum BotRoutes {
    static let tokenPrefix = "pbt_"

    static func register(in router: inout Router, context: AppContext) {
        router.add(.post, "/api/v1/bots", bodyLimit: 4096, .authenticated(context) { request, reply, caller in
            create(context, request, reply, ownerID: caller.id)
        })
        router.add(.get, "/api/v1/bots", .authenticated(context) { _, reply, caller in
            context.readAnswer(reply, { db throws(StoreError) in .success(try BotQueries.list(db, ownerID: caller.id)) }) { bots in
                reply.json { json in
                    json.beginObject()
                    json.key("bots")
                    json.beginArray()
                    for bot in bots { write(bot, context: context, to: &json) }
                    json.endArray()
                    json.endObject()
                }
            }
        })
        router.add(.post, "/api/v1/bots/{id}/tokens", .authenticated(context) { request, reply, caller in
            guard let botID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let secret = BotQueries.newSecret(prefix: tokenPrefix)
            let now = context.now()
            context.writeAnswer(reply, { db throws(StoreError) -> Result<Int64, APIError> in
                guard try BotQueries.owns(db, ownerID: caller.id, botID: botID) else { return .failure(.notFound) }
                return .success(try BotQueries.addToken(db, botID: botID, hash: secret.hash, now: now))
            }) { tokenID in
                reply.json(201) { json in writeToken(id: tokenID, text: secret.text, to: &json) }
            }
        })
        router.add(.delete, "/api/v1/bots/{id}/tokens/{token_id}", .authenticated(context) { request, reply, caller in
            guard let botID = ResourceID.parse(request.parameters[0]),
                  let tokenID = ResourceID.parse(request.parameters[1]) else { return reply.error(.notFound) }
            let now = context.now()
            context.writeAnswer(reply, { db throws(StoreError) -> Result<Void, APIError> in
                guard try BotQueries.owns(db, ownerID: caller.id, botID: botID),
                      try BotQueries.revoke(db, botID: botID, tokenID: tokenID, now: now) else { return .failure(.notFound) }
                return .success(())
            }) { _ in
                context.authenticator.revoke(family: family(tokenID))
                reply.noContent()
            }
        })
        router.add(.post, "/api/v1/auth/bot", bodyLimit: 4096, .service { request, reply in
            signIn(context, request, reply)
        })
    }

    static func family(_ tokenID: Int64) -> String { "bot-\(tokenID)" }

    private static func create(_ context: AppContext, _ request: AppRequest, _ reply: Reply, ownerID: Int64) {
        guard var reader = reply.jsonObject(of: request) else { return }
        var username: String?
        if let text = reader.string("username", required: true) {
            switch CredentialRules.username(text) {
            case .valid(let folded): username = folded
            case .invalid(let problem): reader.addProblem("username", problem)
            }
        }
        let displayName = reader.string("display_name") ?? username ?? ""
        if !(1...64).contains(displayName.count) { reader.addProblem("display_name", "must be 1 to 64 characters") }
        guard reader.problems.isEmpty, let username else { return reply.error(.validation(reader.problems)) }
        let secret = BotQueries.newSecret(prefix: tokenPrefix)
        let now = context.now()
        context.writeAnswer(reply, { db throws(StoreError) in
            try BotQueries.create(db, username: username, displayName: displayName, ownerID: ownerID,
                                  tokenHash: secret.hash, now: now)
        }) { (bot, tokenID) in
            reply.json(201) { json in
                json.beginObject()
                json.key("bot"); context.write(bot.user, to: &json)
                json.key("token"); writeToken(id: tokenID, text: secret.text, to: &json)
                json.endObject()
            }
        }
    }

    private static func signIn(_ context: AppContext, _ request: AppRequest, _ reply: Reply) {
        guard var reader = reply.jsonObject(of: request) else { return }
        guard let token = reader.string("token", required: true) else { return reply.error(.validation(reader.problems)) }
        let hash = BotQueries.hash(token)
        context.readAnswer(reply, { db throws(StoreError) -> Result<(botID: Int64, tokenID: Int64), APIError> in
            guard let found = try BotQueries.signIn(db, tokenHash: hash) else { return .failure(.invalidToken) }
            return .success(found)
        }) { found in
            let seconds = context.now() / 1000
            let lifetime = context.authenticator.accessTokenSeconds
            let claims = AccessClaims(subject: found.botID, issuedAt: seconds, expiresAt: seconds + lifetime,
                                      tokenID: Base64.url.encode(SecureRandom.bytes(16)), family: family(found.tokenID))
            reply.json { json in
                json.beginObject()
                json.key("user_id"); json.string(String(found.botID))
                json.key("access_token"); json.string(context.authenticator.codec.sign(claims))
                json.key("token_type"); json.string("Bearer")
                json.key("expires_in"); json.int(lifetime)
                json.endObject()
            }
        }
    }

    private static func write(_ bot: BotRecord, context: AppContext, to json: inout JSONWriter) {
        json.beginObject()
        json.key("user"); context.write(bot.user, to: &json)
        json.key("tokens")
        json.beginArray()
        for token in bot.tokens {
            json.beginObject()
            json.key("id"); json.string(String(token.id))
            json.key("created_at"); json.timestamp(milliseconds: token.createdAt)
            json.key("revoked_at"); json.timestampOrNull(milliseconds: token.revokedAt)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    private static func writeToken(id: Int64, text: String, to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(String(id))
        json.key("token"); json.string(text)
        json.endObject()
    }
}
