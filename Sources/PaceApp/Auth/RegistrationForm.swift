/// A validated registration request: canonical username, password, display name (the
/// username when none is given).
struct RegistrationForm: Sendable {
    let username: String
    let password: String
    let displayName: String
    /// Required when `PACE_REGISTRATION=invite`, ignored otherwise.
    let inviteCode: String?

    /// Nil after answering 4xx; every invalid field is reported at once.
    init?(_ request: AppRequest, _ reply: Reply) {
        guard var body = reply.jsonObject(of: request) else { return nil }
        var username: String?
        if let raw = body.string("username", required: true) {
            switch CredentialRules.username(raw) {
            case .valid(let canonical): username = canonical
            case .invalid(let problem): body.addProblem("username", problem)
            }
        }
        let password = body.string("password", required: true)
        if let password, let problem = CredentialRules.password(password) { body.addProblem("password", problem) }
        let inviteCode = body.string("invite_code")
        var displayName: String?
        if let raw = body.string("display_name") {
            switch ProfileRules.displayName(raw) {
            case .valid(let trimmed): displayName = trimmed
            case .invalid(let problem): body.addProblem("display_name", problem)
            }
        }
        guard body.problems.isEmpty, let username, let password else {
            reply.error(.validation(body.problems))
            return nil
        }
        self.username = username
        self.password = password
        self.displayName = displayName ?? username
        self.inviteCode = inviteCode
    }
}
