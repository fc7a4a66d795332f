import PaceJSON

/// A validated message to send.
package struct SendMessage: Sendable, Equatable {
    package var body: String
    package var clientID: String?
    package var replyToID: Int64?
    package var attachmentIDs: [Int64]
    /// A thread reply: the root message, in the same conversation and not itself a reply.
    package var threadRootID: Int64? = nil
    /// Recipient device id → ciphertext, for an encrypted message (whose body is empty).
    package var ciphertexts: [DeviceCiphertext] = []
    /// Users the client mentions explicitly (`mentions`), beside the `@names` of the body:
    /// each must be a member of the conversation (422 `unknown_mention` otherwise).
    package var mentionIDs: [Int64] = []

    package var encrypted: Bool { !ciphertexts.isEmpty }
}

/// One recipient device's opaque ciphertext of an encrypted message.
package struct DeviceCiphertext: Sendable, Equatable {
    package var deviceID: Int64
    package var ciphertext: [UInt8]
}

/// Parsing and validation of message bodies. A body is trimmed of surrounding white space and
/// then has 1 to 4,000 characters (grapheme clusters), or none when the message has attachments.
package enum MessageRequests {
    package static let maximumBodyLength = 4000
    package static let maximumAttachments = 10
    package static let maximumClientIDLength = 128
    /// The HTTP body limit of message routes: 4,000 characters of up to 4 UTF-8 bytes, escaped.
    package static let requestLimit = 64 * 1024
    /// The body limit of sends, which may carry a ciphertext per recipient device.
    package static let sendLimit = 1 << 20

    package static func send(_ request: AppRequest, moderation: BlockedWords) -> Result<SendMessage, APIError> {
        do { return send(try request.jsonObject(), moderation: moderation) } catch { return .failure(error) }
    }

    /// The same rules for a message that arrived as a WebSocket `message.send` frame.
    package static func send(_ fields: JSONObjectReader, moderation: BlockedWords) -> Result<SendMessage, APIError> {
        var reader = fields
        if reader.bool("encrypted") == true { return encrypted(reader) }
        let rawBody = reader.string("body")
        let clientID = reader.string("client_id")
        if let clientID, !(1...maximumClientIDLength).contains(clientID.count) {
            reader.addProblem("client_id", "must be 1 to \(maximumClientIDLength) characters")
        }
        var replyToID: Int64?
        if let value = reader["reply_to_id"], !value.isNull {
            replyToID = ConversationRequests.id(value)
            if replyToID == nil { reader.addProblem("reply_to_id", "must be a message id") }
        }
        let attachmentIDs = attachments(&reader)
        let mentionIDs = mentions(&reader)
        var threadRootID: Int64?
        if let value = reader["thread_root"], !value.isNull {
            threadRootID = ConversationRequests.id(value)
            if threadRootID == nil { reader.addProblem("thread_root", "must be a message id") }
        }
        let body = (rawBody ?? "").trimmingWhitespace
        if body.isEmpty && attachmentIDs.isEmpty && !reader.problems.contains(where: { $0.field == "body" }) {
            reader.addProblem("body", rawBody == nil ? JSONObjectReader.isRequired
                                                     : "must be 1 to \(maximumBodyLength) characters")
        } else if body.count > maximumBodyLength {
            reader.addProblem("body", "must be 1 to \(maximumBodyLength) characters")
        }
        guard reader.problems.isEmpty else { return .failure(.validation(reader.problems)) }
        if moderation.blocks(body) { return .failure(BlockedWords.refusal) }
        return .success(SendMessage(body: body, clientID: clientID, replyToID: replyToID, attachmentIDs: attachmentIDs,
                                    threadRootID: threadRootID, mentionIDs: mentionIDs))
    }

    /// The new body of an edit, trimmed; whether it may be empty depends on the message's
    /// attachments, which the writer checks.
    package static func edit(_ request: AppRequest, moderation: BlockedWords) -> Result<String, APIError> {
        var reader: JSONObjectReader
        do { reader = try request.jsonObject() } catch { return .failure(error) }
        let body = reader.string("body", required: true)?.trimmingWhitespace
        if let body, body.count > maximumBodyLength {
            reader.addProblem("body", "must be 1 to \(maximumBodyLength) characters")
        }
        guard reader.problems.isEmpty, let body else { return .failure(.validation(reader.problems)) }
        if moderation.blocks(body) { return .failure(BlockedWords.refusal) }
        return .success(body)
    }

    /// `mentions`: up to `MentionParser.maximumNames` distinct user ids; repeats are one mention.
    static func mentions(_ reader: inout JSONObjectReader) -> [Int64] {
        guard let ids = ConversationRequests.ids(&reader, "mentions", kind: "user") else { return [] }
        var distinct: [Int64] = []
        for id in ids where !distinct.contains(id) { distinct.append(id) }
        if distinct.count > MentionParser.maximumNames {
            reader.addProblem("mentions", "at most \(MentionParser.maximumNames) users")
        }
        return distinct
    }

    static func attachments(_ reader: inout JSONObjectReader) -> [Int64] {
        guard let ids = ConversationRequests.ids(&reader, "attachment_ids", kind: "upload") else { return [] }
        if ids.count > maximumAttachments {
            reader.addProblem("attachment_ids", "at most \(maximumAttachments) attachments")
        } else if Set(ids).count != ids.count {
            reader.addProblem("attachment_ids", "must not repeat an upload")
        }
        return ids
    }
}
