import PaceJSON
import PaceStore

/// Incoming webhooks: a bot's owner makes a secret URL for one conversation the bot is a member
/// of; anyone holding the URL posts `{body, client_id?}` to it, and the message is the bot's,
/// stored and fanned out like any other (the bot must still be a member: 404 otherwise).
enum IncomingWebhookRoutes {
    static let tokenPrefix = "pih_"

    static func register(in router: inout Router, context: AppContext) throws {
        let moderation = try BlockedWords.load(environment: context.configuration.environment)
        router.add(.post, "/api/v1/bots/{id}/incoming-webhooks", bodyLimit: 4096, .authenticated(context) { request, reply, caller in
            create(context, request, reply, ownerID: caller.id)
        })
        router.add(.post, "/api/v1/hooks/{token}", bodyLimit: MessageRequests.sendLimit, .service { request, reply in
            post(context, moderation, request, reply)
        })
    }

    private static func create(_ context: AppContext, _ request: AppRequest, _ reply: Reply, ownerID: Int64) {
        guard let botID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        guard var reader = reply.jsonObject(of: request) else { return }
        var conversationID: Int64?
        if let value = reader["conversation_id"] {
            conversationID = ConversationRequests.id(value)
            if conversationID == nil { reader.addProblem("conversation_id", "must be a conversation id") }
        } else {
            reader.addProblem("conversation_id", JSONObjectReader.isRequired)
        }
        let problems = reader.problems
        let target = conversationID
        let secret = BotQueries.newSecret(prefix: tokenPrefix)
        let now = context.now()
        context.writeAnswer(reply, { db throws(StoreError) -> Result<Int64, APIError> in
            guard try BotQueries.owns(db, ownerID: ownerID, botID: botID) else { return .failure(.notFound) }
            guard problems.isEmpty, let conversationID = target else { return .failure(.validation(problems)) }
            guard try BotQueries.isMember(db, userID: botID, conversationID: conversationID) else {
                return .failure(.validation("conversation_id", "the bot must be a member of the conversation"))
            }
            return .success(try BotQueries.addIncomingWebhook(db, botID: botID, conversationID: conversationID,
                                                              hash: secret.hash, now: now))
        }) { id in
            reply.json(201) { json in
                json.beginObject()
                json.key("id"); json.string(String(id))
                json.key("conversation_id"); json.string(String(target ?? 0))
                json.key("path"); json.string("/api/v1/hooks/" + secret.text)
                json.endObject()
            }
        }
    }

    private static func post(_ context: AppContext, _ moderation: BlockedWords, _ request: AppRequest, _ reply: Reply) {
        let hash = BotQueries.hash(request.parameters[0])
        let message: SendMessage
        switch MessageRequests.send(request, moderation: moderation) {
        case .success(let parsed): message = parsed
        case .failure(let error): return reply.error(error)
        }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) -> Result<MessageChange, APIError> in
            guard let hook = try BotQueries.incomingWebhook(db, tokenHash: hash) else { return .failure(.notFound) }
            return try MessageWrites.send(db, conversationID: hook.conversationID, senderID: hook.botID, message, now: now)
        }, success: { change in
            reply.json(change.created ? 201 : 200) { $0.raw(change.json) }
        })
    }
}
