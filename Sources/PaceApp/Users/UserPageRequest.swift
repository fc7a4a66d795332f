import PaceCrypto
import PaceJSON

/// The query of `GET /users`: `query` (a prefix, at most 64 characters), `limit` (1 to 100,
/// default 50) and `cursor`, the opaque `next_cursor` of the previous page. Pages are in
/// username order and the cursor is the last username shown, base64url-encoded, so paging
/// stays stable while users register.
struct UserPageRequest: Sendable {
    static let defaultLimit = 50
    static let limits = 1...100
    static let queryLimit = 64

    let prefix: String
    let limit: Int
    /// Usernames sort after the empty string, so no cursor means the first page.
    let afterUsername: String

    init(_ request: AppRequest) throws(APIError) {
        prefix = request.queryValue("query") ?? ""
        var problems: [FieldProblem] = []
        if prefix.count > Self.queryLimit {
            problems.append(FieldProblem(field: "query", problem: "must be at most \(Self.queryLimit) characters"))
        }
        let limitText = request.queryValue("limit")
        let limit = limitText.map { Int($0) } ?? Self.defaultLimit
        if let limit, Self.limits.contains(limit) {
            self.limit = limit
        } else {
            self.limit = Self.defaultLimit
            problems.append(FieldProblem(field: "limit", problem: "must be an integer from 1 to 100"))
        }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        if let cursor = request.queryValue("cursor") {
            guard let username = Self.decode(cursor) else { throw APIError.badRequest("The cursor is not valid.") }
            afterUsername = username
        } else {
            afterUsername = ""
        }
    }

    static func encode(_ username: String) -> String {
        Base64.url.encode(Array(username.utf8))
    }

    private static func decode(_ cursor: String) -> String? {
        guard let bytes = Base64.url.decode(cursor),
              case .valid(let username) = CredentialRules.username(String(decoding: bytes, as: UTF8.self)),
              Array(username.utf8) == bytes else { return nil }
        return username
    }
}
