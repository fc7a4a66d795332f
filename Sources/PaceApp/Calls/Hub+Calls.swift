import PaceCrypto
import PaceJSON
import PaceLoop
import Synchronization

/// Call signaling on the hub thread: calls live in memory only (a restart ends them), and
/// every frame is relayed only among the call's caller and invitees, by session.
extension Hub {
    /// A call frame from `party`'s socket (its loop thread).
    func call(_ command: CallCommand, from party: CallParty, ref: JSONValue?) {
        if case .start(let conversation, let media, let sdp) = command {
            submit { [self] in run(.callStart(conversation: conversation, media: media, sdp: sdp, party: party, ref: ref)) }
            return
        }
        submit { [self] in signal(command, from: party, ref: ref) }
    }

    /// `party`'s socket closed: it hangs up every call it was in.
    func leaveCalls(_ party: CallParty) {
        submit { [self] in
            for call in calls.all where call.joined[party.session] != nil { leave(call, party) }
        }
    }

    /// Starts a call once the conversation's members are known. Hub thread.
    func startCall(_ conversation: Int64, _ media: CallMedia, _ sdp: String, _ party: CallParty, _ ref: JSONValue?,
                   members: [Int64]) {
        guard members.contains(party.user) else { return fail(party, ref, "not_found", "No such conversation.") }
        let limit = configuration.calls.maximumParticipants
        guard members.count <= limit else {
            return fail(party, ref, "call_too_large", "Calls are for conversations of up to \(limit) members.")
        }
        let invitees = Set(members).subtracting([party.user])
        guard !invitees.isEmpty else { return fail(party, ref, "validation_failed", "There is nobody else to call.") }
        let call = Call(id: Hex.encode(SecureRandom.bytes(12)), conversation: conversation, media: media, caller: party,
                        invitees: invitees)
        calls.add(call)
        reply(party, CallFrames.ack(ref: ref, callID: call.id))
        let invite = CallFrames.invite(call, from: party, sdp: sdp)
        for user in invitees { send(invite, to: user) { _ in true } }
        scheduleRingTimeout(call.id)
    }

    private func signal(_ command: CallCommand, from party: CallParty, ref: JSONValue?) {
        guard let id = command.callID, let call = calls[id], call.involves(party.user) else {
            return fail(party, ref, "not_found", "No such call.")
        }
        switch command {
        case .start: return
        case .ringing:
            guard call.invitees.contains(party.user) else { return fail(party, ref, "not_found", "You are not invited.") }
            reply(call.caller, CallFrames.relay("call.ringing", call, from: party))
        case .offer(_, let to, let sdp):
            guard call.joined[party.session] != nil, to != party.session, let user = call.joined[to] else {
                return fail(party, ref, "not_found", "No such participant in this call.")
            }
            reply(CallParty(user: user, session: to), CallFrames.invite(call, from: party, sdp: sdp))
        case .answer(_, let to, let sdp):
            answer(call, party, to: to ?? call.caller.session, sdp: sdp, ref: ref)
        case .candidate(_, let to, let candidate):
            relayCandidate(call, party, to: to, candidate: candidate, ref: ref)
        case .reject:
            guard call.invitees.contains(party.user), call.session(of: party.user) == nil else {
                return fail(party, ref, "already_answered", "This call was already answered.")
            }
            call.reject(party.user)
            reply(call.caller, CallFrames.relay("call.reject", call, from: party))
            send(CallFrames.status("call.hangup", call, reason: "rejected"), to: party.user) { $0.sessionID != party.session }
            if call.unanswered.isEmpty && !call.everAnswered { end(call, reason: "rejected", missed: false) }
        case .hangup:
            if call.joined[party.session] != nil { return leave(call, party) }
            guard call.invitees.contains(party.user) else { return }
            signal(.reject(callID: call.id), from: party, ref: ref)
        }
    }

    private func answer(_ call: Call, _ party: CallParty, to target: UInt64, sdp: String, ref: JSONValue?) {
        guard target != party.session, let targetUser = call.joined[target] else {
            return fail(party, ref, "not_found", "No such participant in this call.")
        }
        if call.hasAnswered(party.session, to: target) || call.session(of: party.user).map({ $0 != party.session }) == true
            || call.rejected.contains(party.user) {
            return fail(party, ref, "already_answered", "This call was already answered or rejected.")
        }
        if call.joined[party.session] == nil && call.joined.count >= configuration.calls.maximumParticipants {
            return fail(party, ref, "call_full", "The call has its maximum of participants.")
        }
        if call.answer(party, to: target) {
            send(CallFrames.status("call.answered_elsewhere", call), to: party.user) { $0.sessionID != party.session }
        }
        reply(CallParty(user: targetUser, session: target), CallFrames.relay("call.answer", call, from: party) { writer in
            writer.key("sdp"); writer.string(sdp)
        })
    }

    /// To one participant, or to every other one (and, from the caller while invitees still
    /// ring, to their sockets: trickled candidates may precede the answer).
    private func relayCandidate(_ call: Call, _ party: CallParty, to: UInt64?, candidate: JSONValue, ref: JSONValue?) {
        let frame = CallFrames.relay("call.candidate", call, from: party) { writer in
            writer.key("candidate"); writer.value(candidate)
        }
        if let to {
            guard to != party.session, let user = call.joined[to] else {
                return fail(party, ref, "not_found", "No such participant in this call.")
            }
            return reply(CallParty(user: user, session: to), frame)
        }
        for (session, user) in call.joined where session != party.session { reply(CallParty(user: user, session: session), frame) }
        if party == call.caller && call.ringing {
            for user in call.unanswered { send(frame, to: user) { _ in true } }
        }
    }

    private func leave(_ call: Call, _ party: CallParty) {
        call.leave(party.session)
        let frame = CallFrames.status("call.hangup", call, reason: "hangup", from: party)
        for (session, user) in call.joined { reply(CallParty(user: user, session: session), frame) }
        if !call.everAnswered {
            if party == call.caller { end(call, reason: "cancelled", missed: true) }
        } else if call.joined.count <= 1 {
            end(call, reason: "ended", missed: false)
        }
    }

    /// Forgets the call and tells every socket of everyone involved; an unanswered call leaves a
    /// missed-call message in the conversation.
    private func end(_ call: Call, reason: String, missed: Bool) {
        guard calls.remove(call.id) else { return }
        broadcast(CallFrames.status("call.hangup", call, reason: reason), to: [call.caller.user] + Array(call.invitees))
        if missed { missedCalls.record(conversation: call.conversation, caller: call.caller.user, media: call.media) }
    }

    private func scheduleRingTimeout(_ id: String) {
        guard let loop = anyLoop else { return }
        let milliseconds = configuration.calls.ringTimeoutMilliseconds
        loop.execute { [self] in
            _ = loop.schedule(after: milliseconds) { [self] in
                submit { [self] in ringTimedOut(id) }
            }
        }
    }

    private func ringTimedOut(_ id: String) {
        guard let call = calls[id], call.ringing else { return }
        call.ringing = false
        guard call.everAnswered else { return end(call, reason: "timeout", missed: true) }
        let frame = CallFrames.status("call.hangup", call, reason: "timeout")
        for user in call.unanswered { send(frame, to: user) { _ in true } }
    }

    private func reply(_ party: CallParty, _ frame: SharedBytes) {
        send(frame, to: party.user) { $0.sessionID == party.session }
    }

    private func fail(_ party: CallParty, _ ref: JSONValue?, _ code: String, _ message: String) {
        reply(party, CallFrames.error(ref: ref, code: code, message: message))
    }
}

/// The calls in progress, by id. `@unchecked Sendable`: only the hub thread touches it.
final class CallTable: @unchecked Sendable {
    private var calls: [String: Call] = [:]

    subscript(id: String) -> Call? { calls[id] }
    var all: [Call] { Array(calls.values) }
    func add(_ call: Call) { calls[call.id] = call }
    func remove(_ id: String) -> Bool { calls.removeValue(forKey: id) != nil }
}

/// Where the hub records a call nobody answered; installed once the message service exists.
package final class MissedCallRecorder: Sendable {
    package typealias Record = @Sendable (_ conversation: Int64, _ caller: Int64, _ media: CallMedia) -> Void
    private let recorder = Mutex<Record?>(nil)

    package func install(_ record: @escaping Record) {
        recorder.withLock { $0 = record }
    }

    func record(conversation: Int64, caller: Int64, media: CallMedia) {
        recorder.withLock { $0 }?(conversation, caller, media)
    }
}
