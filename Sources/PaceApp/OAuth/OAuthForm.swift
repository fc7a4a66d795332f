import PaceJSON
import PaceServer
import PaceHTTP

/// An `application/x-www-form-urlencoded` body (RFC 6749 §3.2, §4.3.2, §6; RFC 7009 §2.1).
struct OAuthForm: Sendable {
    private let fields: [String: String]

    /// Nil when the body is not form-encoded, an escape is malformed, or a parameter repeats
    /// (§3.1: "MUST NOT be included more than once").
    init?(_ request: AppRequest) {
        guard let contentType = request.contentType,
              contentType.split(separator: ";", maxSplits: 1).first?.trimmingSpaces.lowercased()
                == "application/x-www-form-urlencoded" else { return nil }
        var fields: [String: String] = [:]
        for pair in request.body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decodeQueryComponent(parts[0]),
                  let value = PercentDecoding.decodeQueryComponent(parts.count > 1 ? parts[1] : []),
                  fields[name] == nil else { return nil }
            // §3.1: parameters sent without a value are treated as omitted.
            if !value.isEmpty { fields[name] = value }
        }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }
}

/// An error answer of RFC 6749 §5.2: `{"error", "error_description"}`, never cached.
struct OAuthError: Error, Sendable {
    let status: Int
    let code: String
    let description: String
    var headers: [HTTPHeader] = []

    static func invalidRequest(_ description: String) -> OAuthError { OAuthError(status: 400, code: "invalid_request", description: description) }
    static let unsupportedGrant = OAuthError(status: 400, code: "unsupported_grant_type",
                                             description: "grant_type must be password or refresh_token.")

    /// The §5.2 form of an API refusal: bad credentials, a deactivated account or a dead
    /// refresh token are `invalid_grant`; contention and limits are `temporarily_unavailable`.
    init(_ error: APIError) {
        switch error.status {
        case 401, 403: self.init(status: 400, code: "invalid_grant", description: error.message)
        case 429, 503: self.init(status: error.status, code: "temporarily_unavailable", description: error.message,
                                 headers: error.headers.filter { $0.name == "Retry-After" })
        case 400..<500: self.init(status: 400, code: "invalid_request", description: error.message)
        default: self.init(status: 500, code: "server_error", description: error.message)
        }
    }

    init(status: Int, code: String, description: String, headers: [HTTPHeader] = []) {
        self.status = status
        self.code = code
        self.description = description
        self.headers = headers
    }

    var response: HTTPResponse {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("error"); writer.string(code)
        writer.key("error_description"); writer.string(description)
        writer.endObject()
        return HTTPResponse(status: status, contentType: "application/json", headers: OAuthRoutes.noStore + headers,
                            body: .bytes(writer.bytes))
    }
}
