import PaceHTTP
import PaceJSON
import PaceServer

/// What a route does with a request.
package enum RouteAction: Sendable {
    /// Answered on the loop thread from the borrowed request; for cheap operations routes.
    case inline(@Sendable (HTTPRequest) -> HTTPResponse)
    /// Handed an owned copy of the request; answers through `Reply`, from any thread.
    case service(@Sendable (AppRequest, Reply) -> Void)
    /// Given the borrowed request and the responder on the loop thread, to answer at once
    /// or switch protocols (`HTTPResponder.upgrade`).
    case upgrade(@Sendable (HTTPRequest, HTTPResponder) -> Void)
    /// Like `service`, for a body too large to hold in memory: `open` is called on the loop
    /// thread with the request head before any body byte is read and returns where the body
    /// goes; the service then finds that stream in `AppRequest.stream` (nil for an empty body).
    case streamed(open: @Sendable (HTTPRequest) -> BodyStream, service: @Sendable (AppRequest, Reply) -> Void)
}

/// An owned copy of what a service needs from a request, safe to carry across threads.
package struct AppRequest: Sendable {
    package let method: HTTPMethod
    package let path: String
    package let parameters: [String]
    package let query: [(name: String, value: String)]
    package let body: [UInt8]
    package let contentType: String?
    package let authorization: String?
    /// Conditional and range headers, for downloads.
    package let ifNoneMatch: String?
    package let range: String?
    package let ifRange: String?
    /// The client's address (after trusted forwarding headers), the key of per-client rate limits.
    package let client: String
    /// The `Host` header, for absolute URLs the server names itself by (OAuth metadata).
    package let host: String?
    /// Where the body went, for `RouteAction.streamed` routes; `body` is empty then.
    package let stream: BodyStream?

    init(_ request: HTTPRequest, parameters: [String], query: [(name: String, value: String)], client: String) {
        method = request.method
        path = request.pathString
        self.parameters = parameters
        self.query = query
        body = request.body
        contentType = request.header("content-type")
        authorization = request.header("authorization")
        ifNoneMatch = request.header("if-none-match")
        range = request.header("range")
        ifRange = request.header("if-range")
        self.client = client
        host = request.header("host")
        stream = request.stream
    }

    /// The first value of query parameter `name`.
    package func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// The bearer token from `Authorization: Bearer …`, or nil.
    package var bearerToken: String? { Self.bearer(authorization) }

    /// The token of an `Authorization: Bearer …` value.
    package static func bearer(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingSpaces
        return token.isEmpty ? nil : token
    }

    /// The body as a JSON object: 415 unless the content type is JSON, 400 `invalid_json`
    /// when it does not parse, 422 when it is not an object.
    package func jsonObject() throws(APIError) -> JSONObjectReader {
        guard let contentType, Self.isJSON(contentType) else { throw APIError.unsupportedMediaType }
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            throw APIError.invalidJSON("The body is not valid JSON: \(error.description).")
        }
        guard let reader = JSONObjectReader(value) else {
            throw APIError.validation("body", "must be a JSON object")
        }
        return reader
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first?.trimmingSpaces.lowercased()
        return mediaType == "application/json"
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
