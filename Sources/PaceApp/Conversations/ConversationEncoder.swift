import PaceJSON

/// The API's Conversation object. Events carry the fields every member shares (no
/// `unread_count`); REST answers add the caller's `unread_count` and, for a single
/// conversation, its latest `messages`.
package enum ConversationEncoder {
    /// The shared form, encoded once per change for `ChatEvent.conversationUpdated`.
    package static func encodeShared(_ conversation: ConversationRecord, lastMessage: MessageRecord?) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + 64 * conversation.members.count)
        writer.beginObject()
        writeFields(conversation, lastMessage: lastMessage, into: &writer)
        writer.endObject()
        return writer.bytes
    }

    /// The caller's view; `messages` adds the conversation's latest page.
    package static func write(_ view: ConversationView, messages: MessagePage? = nil, into writer: inout JSONWriter) {
        writer.beginObject()
        writeFields(view.conversation, lastMessage: view.lastMessage, into: &writer)
        writer.key("unread_count"); writer.int(view.unreadCount)
        writer.key("unread"); writer.int(view.unreadCount)
        writer.key("mentions"); writer.int(view.mentionCount)
        writer.key("notification_level"); writer.string(view.notifications.level.rawValue)
        writer.key("notifications_muted_until")
        writer.timestampOrNull(milliseconds: view.notifications.mutedUntil > 0 ? view.notifications.mutedUntil : nil)
        if let messages {
            writer.key("messages")
            MessageEncoder.writeArray(messages.messages, into: &writer)
        }
        writer.endObject()
    }

    private static func writeFields(_ conversation: ConversationRecord, lastMessage: MessageRecord?,
                                    into writer: inout JSONWriter) {
        writer.key("id"); writer.string(String(conversation.id))
        writer.key("type"); writer.string(conversation.type.rawValue)
        writer.key("title"); writer.stringOrNull(conversation.title)
        writer.key("created_at"); writer.timestamp(milliseconds: conversation.createdAt)
        writer.key("e2ee"); writer.bool(conversation.e2ee)
        if let channel = conversation.channel {
            writer.key("name"); writer.string(channel.name)
            writer.key("topic"); writer.string(channel.topic)
            writer.key("purpose"); writer.string(channel.purpose)
            writer.key("archived"); writer.bool(channel.archived)
            writer.key("posting"); writer.string(channel.adminsOnly ? "admins" : "everyone")
        }
        writer.key("members")
        writer.beginArray()
        for member in conversation.members {
            writer.beginObject()
            writer.key("user_id"); writer.string(String(member.userID))
            writer.key("role"); writer.string(member.role.rawValue)
            writer.key("joined_at"); writer.timestamp(milliseconds: member.joinedAt)
            writer.key("muted_until"); writer.timestampOrNull(milliseconds: member.mutedUntil > 0 ? member.mutedUntil : nil)
            writer.endObject()
        }
        writer.endArray()
        writer.key("last_message")
        if let lastMessage { MessageEncoder.write(lastMessage, into: &writer) } else { writer.null() }
    }
}
