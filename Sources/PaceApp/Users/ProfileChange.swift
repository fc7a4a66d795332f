import PaceJSON

/// A validated `PATCH /me` body. Absent (or null) `display_name` and `status_text` stay as
/// they are; `avatar_upload_id` distinguishes absent (keep) from null (clear).
struct ProfileChange: Sendable {
    enum Avatar: Sendable, Equatable {
        case keep
        case clear
        case set(Int64)
    }

    let displayName: String?
    let statusText: String?
    let avatar: Avatar

    /// Nil after answering 4xx; every invalid field is reported at once.
    init?(_ request: AppRequest, _ reply: Reply) {
        guard var body = reply.jsonObject(of: request) else { return nil }
        displayName = Self.checked("display_name", body.string("display_name"), ProfileRules.displayName, &body)
        statusText = Self.checked("status_text", body.string("status_text"), ProfileRules.statusText, &body)
        switch body["avatar_upload_id"] {
        case nil: avatar = .keep
        case .null?: avatar = .clear
        case let value?:
            if let id = ConversationRequests.id(value) {
                avatar = .set(id)
            } else {
                avatar = .keep
                body.addProblem("avatar_upload_id", "must be an upload id or null")
            }
        }
        guard body.problems.isEmpty else {
            reply.error(.validation(body.problems))
            return nil
        }
    }

    private static func checked(_ field: String, _ value: String?, _ rule: (String) -> FieldCheck,
                                _ body: inout JSONObjectReader) -> String? {
        guard let value else { return nil }
        switch rule(value) {
        case .valid(let cleaned): return cleaned
        case .invalid(let problem):
            body.addProblem(field, problem)
            return nil
        }
    }
}
