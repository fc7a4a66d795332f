import PaceJSON
import PaceLoop
import PaceWebSocket

/// Encoders for the server's JSON frames (API.md, "Server → client"). Each returns the
/// complete WebSocket text frame, encoded once whatever the number of recipients.
enum ServerFrame {
    static func build(_ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        body(&writer)
        writer.endObject()
        return WebSocketFrameWriter.textFrame(writer.bytes)
    }

    static func shared(_ body: (inout JSONWriter) -> Void) -> SharedBytes {
        SharedBytes(build(body))
    }

    static func hello(userID: Int64, sessionID: UInt64, configuration: RealtimeConfiguration) -> [UInt8] {
        build { writer in
            writer.key("type"); writer.string("hello")
            writer.key("user_id"); writer.string(String(userID))
            writer.key("session_id"); writer.string(String(sessionID))
            writer.key("heartbeat_interval_ms"); writer.int(configuration.socket.pingIntervalMilliseconds)
            writer.key("typing_timeout_ms"); writer.int(configuration.typingTimeoutMilliseconds)
            writer.key("max_message_bytes"); writer.int(configuration.socket.maxMessageBytes)
        }
    }

    static func pong(ref: JSONValue?) -> [UInt8] {
        build { writer in
            writer.key("type"); writer.string("pong")
            if let ref { writer.key("ref"); writer.value(ref) }
        }
    }

    static func error(ref: JSONValue?, code: String, message: String) -> [UInt8] {
        build { writer in
            writer.key("type"); writer.string("error")
            if let ref { writer.key("ref"); writer.value(ref) }
            writer.key("error")
            writer.beginObject()
            writer.key("code"); writer.string(code)
            writer.key("message"); writer.string(message)
            writer.endObject()
        }
    }

    /// `message.new`, `message.updated` or `message.deleted` around an encoded Message.
    static func message(type: String, message: [UInt8]) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string(type)
            writer.key("message"); writer.raw(message)
        }
    }

    static func ack(ref: JSONValue?, clientID: String?, message: [UInt8]) -> [UInt8] {
        build { writer in
            writer.key("type"); writer.string("message.ack")
            if let ref { writer.key("ref"); writer.value(ref) }
            writer.key("client_id"); writer.stringOrNull(clientID)
            writer.key("message"); writer.raw(message)
        }
    }

    static func typing(conversationID: Int64, userID: Int64, start: Bool) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string("typing")
            writer.key("conversation_id"); writer.string(String(conversationID))
            writer.key("user_id"); writer.string(String(userID))
            writer.key("state"); writer.string(start ? "start" : "stop")
        }
    }

    static func presence(userID: Int64, presence: Presence, lastSeenAt: Int64?) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string("presence")
            writer.key("user_id"); writer.string(String(userID))
            writer.key("presence"); writer.string(presence.rawValue)
            writer.key("last_seen_at"); writer.timestampOrNull(milliseconds: lastSeenAt)
        }
    }

    static func receipt(conversationID: Int64, userID: Int64, messageID: Int64, read: Bool) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string("receipt")
            writer.key("conversation_id"); writer.string(String(conversationID))
            writer.key("user_id"); writer.string(String(userID))
            writer.key("message_id"); writer.string(String(messageID))
            writer.key("status"); writer.string(read ? "read" : "delivered")
        }
    }

    static func reaction(conversationID: Int64, messageID: Int64, emoji: String, userID: Int64, added: Bool) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string("reaction")
            writer.key("conversation_id"); writer.string(String(conversationID))
            writer.key("message_id"); writer.string(String(messageID))
            writer.key("emoji"); writer.string(emoji)
            writer.key("user_id"); writer.string(String(userID))
            writer.key("action"); writer.string(added ? "added" : "removed")
        }
    }

    static func keysChanged(_ change: [UInt8]) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string("keys.changed")
            writer.key("change"); writer.raw(change)
        }
    }

    static func keysLow(deviceID: Int64, remaining: Int) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string("keys.low")
            writer.key("device_id"); writer.string(String(deviceID))
            writer.key("remaining"); writer.int(remaining)
        }
    }

    static func conversationUpdated(_ conversation: [UInt8]) -> SharedBytes {
        shared { writer in
            writer.key("type"); writer.string("conversation.updated")
            writer.key("conversation"); writer.raw(conversation)
        }
    }
}

/// A user's presence as others see it.
package enum Presence: String, Sendable {
    case online, away, busy, offline
}
