import PaceJSON

/// A client frame of the seed-002 conversation socket: only `{"type":"message.send","content":"…"}`.
/// The content becomes the `body` of a `message.send` with the REST rules; anything else is a
/// `ClientFrame.Problem` answered with an `error` frame.
enum SeedTwoFrame {
    static func parse(_ bytes: [UInt8]) -> Result<JSONObjectReader, ClientFrame.Problem> {
        guard let value = try? JSONParser.parse(bytes), let reader = JSONObjectReader(value) else {
            return .failure(ClientFrame.Problem(ref: nil, code: "invalid_json", message: "A frame must be a JSON object."))
        }
        guard let type = reader["type"]?.stringValue else {
            return .failure(ClientFrame.Problem(ref: nil, code: "validation_failed", message: "type is required."))
        }
        guard type == "message.send" else {
            return .failure(ClientFrame.Problem(ref: nil, code: "unknown_type", message: "Only message.send is accepted here."))
        }
        guard let content = reader["content"]?.stringValue else {
            return .failure(ClientFrame.Problem(ref: nil, code: "validation_failed", message: "content must be a string."))
        }
        // Only the content is taken: the rest of the seed-002 frame has no meaning here.
        let fields = JSONValue.object([JSONMember(key: "body", value: .string(content))])
        // An object always makes a reader; the guard only satisfies the optional initialiser.
        guard let translated = JSONObjectReader(fields) else {
            return .failure(ClientFrame.Problem(ref: nil, code: "validation_failed", message: "content must be a string."))
        }
        return .success(translated)
    }
}
