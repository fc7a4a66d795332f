import PaceJSON

/// A validated `POST /conversations` body.
package enum CreateConversation: Sendable, Equatable {
    /// Get-or-create the direct conversation with `otherID` (the caller themself: a
    /// conversation with one member, for notes).
    case direct(otherID: Int64)
    /// A new group; `memberIDs` excludes the caller, who becomes its owner.
    case group(title: String, memberIDs: [Int64])
    /// A new public channel, owned by the caller.
    case channel(ChannelDraft)
}

/// Parsing and validation of conversation request bodies.
package enum ConversationRequests {
    package static let maximumTitleLength = 100
    /// Members of a group, owner included.
    package static let maximumMembers = 1000

    package static func create(_ request: AppRequest, callerID: Int64) -> Result<CreateConversation, APIError> {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return .failure(error) }
        let type = reader.string("type", required: true)
        let ids = ids(&reader, "member_ids", kind: "user")
        let rawTitle = reader.string("title")
        switch type {
        case "direct":
            if let ids, ids.count != 1 { reader.addProblem("member_ids", "must name exactly one other user") }
            if ids == nil && reader.problems.isEmpty { reader.addProblem("member_ids", JSONObjectReader.isRequired) }
            guard reader.problems.isEmpty, let other = ids?.first else { return .failure(.validation(reader.problems)) }
            return .success(.direct(otherID: other))
        case "group":
            let title = validTitle(&reader, rawTitle, required: true)
            var others: [Int64] = []
            for id in ids ?? [] where id != callerID && !others.contains(id) { others.append(id) }
            if others.count + 1 > maximumMembers {
                reader.addProblem("member_ids", "at most \(maximumMembers - 1) other members")
            }
            guard reader.problems.isEmpty, let title else { return .failure(.validation(reader.problems)) }
            return .success(.group(title: title, memberIDs: others))
        case "channel":
            return ChannelRequests.draft(&reader, memberIDs: ids, callerID: callerID).map { .channel($0) }
        case nil:
            return .failure(.validation(reader.problems))
        default:
            reader.addProblem("type", "must be direct, group or channel")
            return .failure(.validation(reader.problems))
        }
    }

    /// The `title` of a rename.
    package static func rename(_ request: AppRequest) -> Result<String, APIError> {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return .failure(error) }
        let title = validTitle(&reader, reader.string("title", required: true), required: true)
        guard reader.problems.isEmpty, let title else { return .failure(.validation(reader.problems)) }
        return .success(title)
    }

    /// A title trimmed of surrounding white space, 1 to 100 characters.
    static func validTitle(_ reader: inout JSONObjectReader, _ raw: String?, required: Bool) -> String? {
        guard let raw else {
            if required && !reader.problems.contains(where: { $0.field == "title" }) {
                reader.addProblem("title", JSONObjectReader.isRequired)
            }
            return nil
        }
        let title = raw.trimmingWhitespace
        guard (1...maximumTitleLength).contains(title.count) else {
            reader.addProblem("title", "must be 1 to \(maximumTitleLength) characters")
            return nil
        }
        return title
    }

    /// A list of ids: strings of positive integers (integers are accepted too); every bad
    /// element is reported as `field[index]`. `kind` names the resource in problems.
    static func ids(_ reader: inout JSONObjectReader, _ field: String, kind: String) -> [Int64]? {
        guard let value = reader[field], !value.isNull else { return nil }
        guard let elements = value.arrayValue else {
            reader.addProblem(field, "must be an array of \(kind) ids")
            return nil
        }
        var ids: [Int64] = []
        for (index, element) in elements.enumerated() {
            if let id = id(element) {
                ids.append(id)
            } else {
                reader.addProblem("\(field)[\(index)]", "must be a \(kind) id")
            }
        }
        return ids
    }

    /// One id from a JSON string (or integer).
    static func id(_ value: JSONValue) -> Int64? {
        if let text = value.stringValue { return ResourceID.parse(text) }
        if let number = value.int64Value, number > 0 { return number }
        return nil
    }
}
