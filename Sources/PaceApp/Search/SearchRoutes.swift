import PaceJSON
import PaceStore

/// `GET /api/v1/search/messages?q=&conversation_id=&limit=`: `q` is required (1 to 500
/// characters), `limit` 1 to 100 (default 20); a `conversation_id` the caller is not a member
/// of answers 404, like every conversation route.
enum SearchRoutes {
    static let defaultLimit = 20
    static let maximumLimit = 100

    static func register(in router: inout Router, context: AppContext) {
        router.add(.get, "/api/v1/search/messages", .authenticated(context) { request, reply, caller in
            search(context, request, reply, callerID: caller.id)
        })
    }

    private static func search(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        let query: (terms: [String], conversationID: Int64?, limit: Int)
        switch parse(request) {
        case .success(let parsed): query = parsed
        case .failure(let error): return reply.error(error)
        }
        context.readAnswer(reply, { db throws(StoreError) -> Result<[MessageRecord], APIError> in
            if let conversationID = query.conversationID,
               try Membership.find(db, conversationID: conversationID, userID: callerID) == nil {
                return .failure(.notFound)
            }
            return .success(try SearchQueries.search(db, userID: callerID, terms: query.terms,
                                                     conversationID: query.conversationID, limit: query.limit))
        }, success: { messages in
            reply.json { writer in
                writer.beginObject()
                writer.key("messages")
                MessageEncoder.writeArray(messages, into: &writer)
                writer.endObject()
            }
        })
    }

    private static func parse(_ request: AppRequest) -> Result<(terms: [String], conversationID: Int64?, limit: Int), APIError> {
        var problems: [FieldProblem] = []
        let text = request.queryValue("q") ?? ""
        let terms = SearchQuery.terms(text)
        if text.count > SearchQuery.maximumLength {
            problems.append(FieldProblem(field: "q", problem: "must be at most \(SearchQuery.maximumLength) characters"))
        } else if terms.isEmpty {
            problems.append(FieldProblem(field: "q", problem: "must contain a search term"))
        }
        var limit = defaultLimit
        if let value = request.queryValue("limit") {
            if let parsed = Int(value), (1...maximumLimit).contains(parsed) {
                limit = parsed
            } else {
                problems.append(FieldProblem(field: "limit", problem: "must be an integer from 1 to \(maximumLimit)"))
            }
        }
        var conversationID: Int64?
        if let value = request.queryValue("conversation_id") {
            conversationID = ResourceID.parse(value)
            if conversationID == nil { return .failure(.notFound) }
        }
        guard problems.isEmpty else { return .failure(.validation(problems)) }
        return .success((terms, conversationID, limit))
    }
}
