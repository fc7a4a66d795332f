import PaceJSON

/// A validated channel creation: the caller becomes its owner; `memberIDs` excludes them.
package struct ChannelDraft: Sendable, Equatable {
    package var name: String
    package var topic = ""
    package var purpose = ""
    package var adminsOnly = false
    package var memberIDs: [Int64] = []
}

/// A validated `PATCH /conversations/{id}/channel`: nil fields stay as they are.
package struct ChannelSettings: Sendable, Equatable {
    package var name: String?
    package var topic: String?
    package var purpose: String?
    package var adminsOnly: Bool?
}

/// Parsing of channel request bodies. Topic and purpose are at most 250 characters and hold
/// no control or format characters (new lines included: they are one-line headers).
package enum ChannelRequests {
    package static let maximumTextLength = 250

    /// The channel fields of a `POST /conversations` body whose `type` is `channel`.
    static func draft(_ reader: inout JSONObjectReader, memberIDs: [Int64]?, callerID: Int64) -> Result<ChannelDraft, APIError> {
        let name = self.name(&reader, required: true)
        var draft = ChannelDraft(name: name ?? "")
        draft.topic = text(&reader, "topic") ?? ""
        draft.purpose = text(&reader, "purpose") ?? ""
        draft.adminsOnly = posting(&reader) ?? false
        for id in memberIDs ?? [] where id != callerID && !draft.memberIDs.contains(id) { draft.memberIDs.append(id) }
        if draft.memberIDs.count + 1 > ConversationRequests.maximumMembers {
            reader.addProblem("member_ids", "at most \(ConversationRequests.maximumMembers - 1) other members")
        }
        guard reader.problems.isEmpty, name != nil else { return .failure(.validation(reader.problems)) }
        return .success(draft)
    }

    package static func settings(_ request: AppRequest) -> Result<ChannelSettings, APIError> {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return .failure(error) }
        let settings = ChannelSettings(name: name(&reader, required: false), topic: text(&reader, "topic"),
                                       purpose: text(&reader, "purpose"), adminsOnly: posting(&reader))
        guard reader.problems.isEmpty else { return .failure(.validation(reader.problems)) }
        guard settings != ChannelSettings() else {
            return .failure(.validation("name", "name, topic, purpose or posting is required"))
        }
        return .success(settings)
    }

    /// `{muted_until?, role?}`, at least one: `muted_until` an RFC 3339 time or null (unmute),
    /// `role` `admin` or `member`.
    package static func memberUpdate(_ request: AppRequest) -> Result<MemberUpdate, APIError> {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return .failure(error) }
        var update = MemberUpdate()
        if let value = reader["muted_until"] {
            if value.isNull {
                update.mutedUntil = 0
            } else if let text = value.stringValue, let time = Timestamp.milliseconds(rfc3339: text), time > 0 {
                update.mutedUntil = time
            } else {
                reader.addProblem("muted_until", "must be an RFC 3339 date-time or null")
            }
        }
        if let value = reader["role"] {
            switch value.stringValue.flatMap(MemberRole.init(rawValue:)) {
            case .admin?: update.role = .admin
            case .member?: update.role = .member
            default: reader.addProblem("role", "must be admin or member")
            }
        }
        guard reader.problems.isEmpty else { return .failure(.validation(reader.problems)) }
        guard update.mutedUntil != nil || update.role != nil else {
            return .failure(.validation("muted_until", "muted_until or role is required"))
        }
        return .success(update)
    }

    private static func name(_ reader: inout JSONObjectReader, required: Bool) -> String? {
        guard let name = reader.string("name", required: required) else { return nil }
        if let problem = ChannelName.problem(name) {
            reader.addProblem("name", problem)
            return nil
        }
        return name
    }

    private static func text(_ reader: inout JSONObjectReader, _ field: String) -> String? {
        guard let raw = reader.string(field) else { return nil }
        let text = raw.trimmingWhitespace
        guard text.count <= maximumTextLength else {
            reader.addProblem(field, "must be at most \(maximumTextLength) characters")
            return nil
        }
        let hidden = text.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
        guard !hidden else {
            reader.addProblem(field, "must not hold control or format characters")
            return nil
        }
        return text
    }

    /// `posting`: `everyone` or `admins`; returns whether only admins post.
    private static func posting(_ reader: inout JSONObjectReader) -> Bool? {
        guard let text = reader.string("posting") else { return nil }
        switch text {
        case "everyone": return false
        case "admins": return true
        default:
            reader.addProblem("posting", "must be everyone or admins")
            return nil
        }
    }
}

/// What `PATCH /api/v1/conversations/{id}/members/{user_id}` changes: nil fields stay.
package struct MemberUpdate: Sendable, Equatable {
    /// 0 unmutes.
    package var mutedUntil: Int64?
    package var role: MemberRole?
}
