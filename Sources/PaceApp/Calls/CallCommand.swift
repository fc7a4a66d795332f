import PaceJSON

/// A call-signaling frame from a client (WebRTC offer/answer/ICE relayed between members of a
/// conversation; the server never touches media).
enum CallCommand: Sendable {
    /// A new call to the other members of `conversationID`, with the caller's SDP offer.
    case start(conversationID: Int64, media: CallMedia, sdp: String)
    /// A mesh leg of a running group call: an offer to one participant's session.
    case offer(callID: String, to: UInt64, sdp: String)
    case ringing(callID: String)
    /// The SDP answer, to the caller's session unless `to` names another participant.
    case answer(callID: String, to: UInt64?, sdp: String)
    /// An ICE candidate (any JSON, relayed as is), to one session or to every other participant.
    case candidate(callID: String, to: UInt64?, candidate: JSONValue)
    case reject(callID: String)
    case hangup(callID: String)

    var callID: String? {
        switch self {
        case .start: nil
        case .offer(let id, _, _), .ringing(let id), .answer(let id, _, _), .candidate(let id, _, _), .reject(let id),
             .hangup(let id): id
        }
    }

    /// Parses the `call.*` frame `type`; nil when it is not a call frame.
    static func parse(_ type: String, _ reader: JSONObjectReader,
                      limits: CallLimits) throws(ClientFrame.Invalid) -> CallCommand? {
        switch type {
        case "call.invite":
            let sdp = try sdp(reader, limits)
            if reader["call_id"] != nil {
                guard let to = try session(reader) else { return try missing("to_session_id") }
                return .offer(callID: try callID(reader), to: to, sdp: sdp)
            }
            guard let media = reader["media"]?.stringValue.flatMap(CallMedia.init(rawValue:)) else {
                throw ClientFrame.Invalid(code: "validation_failed", message: "media must be audio or video.")
            }
            return .start(conversationID: try ClientFrame.id(reader, "conversation_id"), media: media, sdp: sdp)
        case "call.ringing": return .ringing(callID: try callID(reader))
        case "call.answer": return .answer(callID: try callID(reader), to: try session(reader), sdp: try sdp(reader, limits))
        case "call.candidate":
            guard let candidate = reader["candidate"], !candidate.isNull else { return try missing("candidate") }
            var writer = JSONWriter(capacity: 256)
            writer.value(candidate)
            guard writer.bytes.count <= limits.candidateBytes else {
                throw ClientFrame.Invalid(code: "payload_too_large", message: "candidate is over \(limits.candidateBytes) bytes.")
            }
            return .candidate(callID: try callID(reader), to: try session(reader), candidate: candidate)
        case "call.reject": return .reject(callID: try callID(reader))
        case "call.hangup": return .hangup(callID: try callID(reader))
        default: return nil
        }
    }

    private static func callID(_ reader: JSONObjectReader) throws(ClientFrame.Invalid) -> String {
        guard let id = reader["call_id"]?.stringValue, (1...64).contains(id.utf8.count) else { return try missing("call_id") }
        return id
    }

    private static func session(_ reader: JSONObjectReader) throws(ClientFrame.Invalid) -> UInt64? {
        guard let value = reader["to_session_id"], !value.isNull else { return nil }
        guard let text = value.stringValue, let session = UInt64(text) else {
            throw ClientFrame.Invalid(code: "validation_failed", message: "to_session_id must be a session id.")
        }
        return session
    }

    private static func sdp(_ reader: JSONObjectReader, _ limits: CallLimits) throws(ClientFrame.Invalid) -> String {
        guard let sdp = reader["sdp"]?.stringValue, !sdp.isEmpty else { return try missing("sdp") }
        guard sdp.utf8.count <= limits.sdpBytes else {
            throw ClientFrame.Invalid(code: "payload_too_large", message: "sdp is over \(limits.sdpBytes) bytes.")
        }
        return sdp
    }

    private static func missing<T>(_ field: String) throws(ClientFrame.Invalid) -> T {
        throw ClientFrame.Invalid(code: "validation_failed", message: "\(field) is required.")
    }
}

package enum CallMedia: String, Sendable {
    case audio, video
}

/// Bounds of call signaling (`RealtimeConfiguration.calls`).
package struct CallLimits: Sendable {
    /// An unanswered call ends after this long, with a missed-call message.
    package var ringTimeoutMilliseconds: Int64 = 45_000
    package var sdpBytes = 32 * 1024
    package var candidateBytes = 2 * 1024
    /// Group calls are full-mesh: every participant streams to every other, so they stay small.
    package var maximumParticipants = 8

    package init() {}
}
