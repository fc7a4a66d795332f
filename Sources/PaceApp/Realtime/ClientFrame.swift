import PaceJSON

/// What a client frame asks for (API.md, "Client → server").
enum ClientCommand {
    /// `fields` are checked by the message service, with the rules REST uses.
    case send(conversationID: Int64, fields: JSONObjectReader)
    case typing(conversationID: Int64, start: Bool)
    case read(conversationID: Int64, messageID: Int64)
    case presence(Presence)
    case ping
    case call(CallCommand)
}

/// A parsed client frame, or why it cannot be used. `ref` is echoed in the answer either way.
struct ClientFrame {
    let ref: JSONValue?
    let command: ClientCommand

    struct Problem: Error {
        let ref: JSONValue?
        let code: String
        let message: String
    }

    static func parse(_ bytes: [UInt8], calls: CallLimits = CallLimits()) -> Result<ClientFrame, Problem> {
        guard let value = try? JSONParser.parse(bytes), let reader = JSONObjectReader(value) else {
            return .failure(Problem(ref: nil, code: "invalid_json", message: "A frame must be a JSON object."))
        }
        let ref = reader["ref"]
        if let ref, !ref.isValidRef {
            return .failure(Problem(ref: nil, code: "validation_failed", message: "ref must be a string or an integer."))
        }
        guard let type = reader["type"]?.stringValue else {
            return .failure(Problem(ref: ref, code: "validation_failed", message: "type is required."))
        }
        do {
            if let call = try CallCommand.parse(type, reader, limits: calls) {
                return .success(ClientFrame(ref: ref, command: .call(call)))
            }
            return .success(ClientFrame(ref: ref, command: try command(type, reader)))
        } catch {
            return .failure(Problem(ref: ref, code: error.code, message: error.message))
        }
    }

    struct Invalid: Error {
        let code: String
        let message: String
    }

    private static func command(_ type: String, _ reader: JSONObjectReader) throws(Invalid) -> ClientCommand {
        switch type {
        case "message.send": return .send(conversationID: try id(reader, "conversation_id"), fields: reader)
        case "typing":
            let conversation = try id(reader, "conversation_id")
            switch reader["state"]?.stringValue {
            case "start": return .typing(conversationID: conversation, start: true)
            case "stop": return .typing(conversationID: conversation, start: false)
            default: throw Invalid(code: "validation_failed", message: "state must be start or stop.")
            }
        case "read":
            return .read(conversationID: try id(reader, "conversation_id"), messageID: try id(reader, "message_id"))
        case "presence.set":
            guard let text = reader["presence"]?.stringValue, let presence = Presence(rawValue: text), presence != .offline else {
                throw Invalid(code: "validation_failed", message: "presence must be online, away or busy.")
            }
            return .presence(presence)
        case "ping": return .ping
        default: throw Invalid(code: "unknown_type", message: "Unknown frame type.")
        }
    }

    static func id(_ reader: JSONObjectReader, _ key: String) throws(Invalid) -> Int64 {
        guard let value = reader[key], !value.isNull else { throw Invalid(code: "validation_failed", message: "\(key) is required.") }
        return try id(value, key)
    }

    /// Ids follow the REST rules (`ConversationRequests.id`): digit strings or plain integers.
    private static func id(_ value: JSONValue, _ key: String) throws(Invalid) -> Int64 {
        guard let id = ConversationRequests.id(value) else {
            throw Invalid(code: "validation_failed", message: "\(key) must be an id.")
        }
        return id
    }
}

extension JSONValue {
    /// A `ref` is echoed back verbatim, so only small scalar values are accepted.
    var isValidRef: Bool {
        switch self {
        case .string(let text): text.utf8.count <= 128
        case .number(.integer): true
        default: false
        }
    }
}
