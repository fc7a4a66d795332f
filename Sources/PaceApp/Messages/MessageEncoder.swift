import PaceCrypto
import PaceJSON

/// The API's Message object. REST answers and events use these same bytes: a message is
/// encoded once per change, then spliced wherever it goes.
package enum MessageEncoder {
    package static func encode(_ message: MessageRecord) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + message.body.utf8.count)
        write(message, into: &writer)
        return writer.bytes
    }

    package static func write(_ message: MessageRecord, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(message.id))
        writer.key("seq"); writer.int(message.seq)
        writer.key("conversation_id"); writer.string(String(message.conversationID))
        writer.key("sender_id"); writer.string(String(message.senderID))
        writer.key("body"); writer.string(message.body)
        writer.key("kind"); writer.string(message.kind.rawValue)
        writer.key("encrypted"); writer.bool(message.kind == .encrypted)
        if message.kind == .encrypted {
            writer.key("ciphertext"); writer.stringOrNull(message.ciphertext.map { Base64.standard.encode($0) })
        }
        writer.key("client_id"); writer.stringOrNull(message.clientID)
        writer.key("reply_to_id"); writer.stringOrNull(message.replyToID.map { String($0) })
        writer.key("attachments")
        writer.beginArray()
        for upload in message.attachments { upload.write(to: &writer) }
        writer.endArray()
        writer.key("reactions")
        writer.beginArray()
        for reaction in message.reactions { write(reaction, into: &writer) }
        writer.endArray()
        writer.key("mentions")
        writer.beginArray()
        for userID in message.mentions { writer.string(String(userID)) }
        writer.endArray()
        writer.key("pinned"); writer.bool(message.pinned)
        if message.senderBlocked { writer.key("sender_blocked"); writer.bool(true) }
        writer.key("thread_root_id"); writer.stringOrNull(message.threadRootID.map { String($0) })
        writer.key("thread")
        if let thread = message.thread {
            writer.beginObject()
            writer.key("reply_count"); writer.int(thread.replyCount)
            writer.key("last_reply_at"); writer.timestamp(milliseconds: thread.lastReplyAt)
            writer.key("participants")
            writer.beginArray()
            for userID in thread.participants { writer.string(String(userID)) }
            writer.endArray()
            writer.endObject()
        } else {
            writer.null()
        }
        writer.key("created_at"); writer.timestamp(milliseconds: message.createdAt)
        writer.key("edited_at"); writer.timestampOrNull(milliseconds: message.editedAt)
        writer.key("version"); writer.int(message.version)
        writer.key("deleted"); writer.bool(message.deleted)
        writer.endObject()
    }

    private static func write(_ reaction: ReactionSummary, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("emoji"); writer.string(reaction.emoji)
        writer.key("count"); writer.int(reaction.userIDs.count)
        writer.key("user_ids")
        writer.beginArray()
        for userID in reaction.userIDs { writer.string(String(userID)) }
        writer.endArray()
        writer.endObject()
    }

    /// `{"messages": [...], ...}` bodies: the encoded messages spliced into an array.
    package static func writeArray(_ messages: [MessageRecord], into writer: inout JSONWriter) {
        writer.beginArray()
        for message in messages { write(message, into: &writer) }
        writer.endArray()
    }
}
