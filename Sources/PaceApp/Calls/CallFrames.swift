import PaceJSON
import PaceLoop

/// The server's `call.*` frames. Relayed frames name their sender (`from_user_id`,
/// `from_session_id`) so a participant knows which peer connection they belong to.
enum CallFrames {
    static func ack(ref: JSONValue?, callID: String) -> SharedBytes {
        ServerFrame.shared { writer in
            writer.key("type"); writer.string("call.ack")
            if let ref { writer.key("ref"); writer.value(ref) }
            writer.key("call_id"); writer.string(callID)
        }
    }

    /// `call.invite`, `call.ringing`, `call.answer`, `call.candidate` or `call.reject` from `from`.
    static func relay(_ type: String, _ call: Call, from: CallParty,
                      _ extra: (inout JSONWriter) -> Void = { _ in }) -> SharedBytes {
        ServerFrame.shared { writer in
            writer.key("type"); writer.string(type)
            writer.key("call_id"); writer.string(call.id)
            writer.key("conversation_id"); writer.string(String(call.conversation))
            writer.key("from_user_id"); writer.string(String(from.user))
            writer.key("from_session_id"); writer.string(String(from.session))
            extra(&writer)
        }
    }

    static func invite(_ call: Call, from: CallParty, sdp: String) -> SharedBytes {
        relay("call.invite", call, from: from) { writer in
            writer.key("media"); writer.string(call.media.rawValue)
            writer.key("sdp"); writer.string(sdp)
        }
    }

    /// The call went on without this socket (`call.answered_elsewhere`), or ended or stopped
    /// ringing for it (`call.hangup` with a `reason`, and its sender when one hung up).
    static func status(_ type: String, _ call: Call, reason: String? = nil, from: CallParty? = nil) -> SharedBytes {
        ServerFrame.shared { writer in
            writer.key("type"); writer.string(type)
            writer.key("call_id"); writer.string(call.id)
            writer.key("conversation_id"); writer.string(String(call.conversation))
            if let from {
                writer.key("from_user_id"); writer.string(String(from.user))
                writer.key("from_session_id"); writer.string(String(from.session))
            }
            if let reason { writer.key("reason"); writer.string(reason) }
        }
    }

    static func error(ref: JSONValue?, code: String, message: String) -> SharedBytes {
        SharedBytes(ServerFrame.error(ref: ref, code: code, message: message))
    }
}
