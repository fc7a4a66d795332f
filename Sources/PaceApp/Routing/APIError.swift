import PaceJSON
import PaceServer

/// An error answer in the API's shape: `{"error":{"code","message","details"?}}`.
package struct APIError: Error, Sendable {
    package var status: Int
    package var code: String
    package var message: String
    package var details: [FieldProblem]
    /// Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`).
    package var headers: [HTTPHeader]

    package init(_ status: Int, _ code: String, _ message: String, details: [FieldProblem] = [],
                 headers: [HTTPHeader] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    package static func badRequest(_ message: String) -> APIError { APIError(400, "bad_request", message) }
    package static func invalidJSON(_ message: String) -> APIError { APIError(400, "invalid_json", message) }
    /// No credentials at all: RFC 6750 §3.1 says such a challenge carries no error code.
    package static let unauthorized = APIError(401, "unauthorized", "A valid access token is required.",
                                               headers: [HTTPHeader("WWW-Authenticate", "Bearer")])
    /// A token that is malformed, forged or revoked: signing in again is the way back.
    package static let invalidToken = APIError(401, "unauthorized", "The access token is invalid or revoked.",
                                               headers: [bearerChallenge("The access token is invalid or revoked")])
    /// A genuine token past its `exp`: the client refreshes it instead of signing in again.
    package static let tokenExpired = APIError(401, "token_expired", "The access token has expired; refresh it.",
                                               headers: [bearerChallenge("The access token expired")])
    package static func forbidden(_ message: String) -> APIError { APIError(403, "forbidden", message) }
    package static let notFound = APIError(404, "not_found", "No such resource.")
    package static func conflict(_ code: String, _ message: String) -> APIError { APIError(409, code, message) }
    package static func validation(_ details: [FieldProblem]) -> APIError {
        APIError(422, "validation_failed", "Some fields are invalid.", details: details)
    }
    package static func validation(_ field: String, _ problem: String) -> APIError {
        validation([FieldProblem(field: field, problem: problem)])
    }
    package static let unsupportedMediaType = APIError(415, "unsupported_media_type",
                                                       "This endpoint takes Content-Type: application/json.")
    package static func rateLimited(retryAfterSeconds: Int) -> APIError {
        APIError(429, "rate_limited", "Too many requests; retry later.",
                 headers: [HTTPHeader("Retry-After", String(max(1, retryAfterSeconds)))])
    }
    package static let internalError = APIError(500, "internal_error", "The server failed to handle the request.")
    /// The store is busy or unreachable (a lock, a PostgreSQL restart): worth a retry in a second.
    package static let unavailable = APIError(503, "unavailable", "The server is not ready.",
                                              headers: [HTTPHeader("Retry-After", "1")])

    private static func bearerChallenge(_ description: String) -> HTTPHeader {
        HTTPHeader("WWW-Authenticate", #"Bearer error="invalid_token", error_description="\#(description)""#)
    }

    /// The response carrying this error.
    package var response: HTTPResponse {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.key("code"); writer.string(code)
        writer.key("message"); writer.string(message)
        if !details.isEmpty {
            writer.key("details")
            writer.beginArray()
            for problem in details {
                writer.beginObject()
                writer.key("field"); writer.string(problem.field)
                writer.key("problem"); writer.string(problem.problem)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        writer.endObject()
        return HTTPResponse(status: status, contentType: "application/json", headers: headers, body: .bytes(writer.bytes))
    }
}
