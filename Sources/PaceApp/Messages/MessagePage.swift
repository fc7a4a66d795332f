import PaceJSON

/// Which page of a conversation's history to read: `before`/`after` are exclusive `seq`
/// bounds. With `after` the page is the first one after it (a client catching up forwards,
/// bounded by `before` when both are given); otherwise it is the latest one before `before`
/// (or the latest of all). Pages are always returned in ascending `seq`.
package struct PageRequest: Sendable, Equatable {
    package static let defaultLimit = 50
    package static let maximumLimit = 200

    package var before: Int64?
    package var after: Int64?
    package var limit: Int

    package init(before: Int64? = nil, after: Int64? = nil, limit: Int = defaultLimit) {
        self.before = before
        self.after = after
        self.limit = limit
    }

    /// Reads `before`, `after` and `limit` from a query string; every malformed one is a
    /// problem (422). An empty range (`after >= before`) is simply an empty page.
    package static func parse(_ request: AppRequest) -> Result<PageRequest, APIError> {
        var page = PageRequest()
        var problems: [FieldProblem] = []
        if let text = request.queryValue("before") {
            page.before = cursor(text)
            if page.before == nil { problems.append(FieldProblem(field: "before", problem: "must be a non-negative integer")) }
        }
        if let text = request.queryValue("after") {
            page.after = cursor(text)
            if page.after == nil { problems.append(FieldProblem(field: "after", problem: "must be a non-negative integer")) }
        }
        if let text = request.queryValue("limit") {
            if let limit = Int(text), (1...maximumLimit).contains(limit) {
                page.limit = limit
            } else {
                problems.append(FieldProblem(field: "limit", problem: "must be an integer from 1 to \(maximumLimit)"))
            }
        }
        guard problems.isEmpty else {
            return .failure(.validation(problems))
        }
        return .success(page)
    }

    private static func cursor(_ text: String) -> Int64? {
        guard let value = Int64(text), value >= 0 else { return nil }
        return value
    }
}

/// One page of messages, ascending, and whether more lie beyond it in the paging direction.
package struct MessagePage: Sendable {
    package var messages: [MessageRecord]
    package var hasMore: Bool
}
