/// One socket in a call: a user and the session of the connection they call from.
struct CallParty: Sendable, Hashable {
    let user: Int64
    let session: UInt64
}

/// A call's signaling state, on the hub thread only. The invitees are the conversation's other
/// members when the call started; every relay stays among them and the caller.
final class Call {
    let id: String
    let conversation: Int64
    let media: CallMedia
    let caller: CallParty
    let invitees: Set<Int64>
    /// Sessions in the call (the caller's first), to their users.
    private(set) var joined: [UInt64: Int64]
    /// (from session, to session) pairs that exchanged an answer: answering twice is refused.
    private var answers: Set<[UInt64]> = []
    private(set) var rejected: Set<Int64> = []
    /// Until the ring timeout, invitees who have not answered keep ringing.
    var ringing = true
    private(set) var everAnswered = false

    init(id: String, conversation: Int64, media: CallMedia, caller: CallParty, invitees: Set<Int64>) {
        self.id = id
        self.conversation = conversation
        self.media = media
        self.caller = caller
        self.invitees = invitees
        joined = [caller.session: caller.user]
    }

    func involves(_ user: Int64) -> Bool { user == caller.user || invitees.contains(user) }

    /// The session `user` joined from, if any.
    func session(of user: Int64) -> UInt64? { joined.first { $0.value == user }?.key }

    /// Invitees still ringing: neither joined nor rejected.
    var unanswered: [Int64] { invitees.filter { session(of: $0) == nil && !rejected.contains($0) } }

    func hasAnswered(_ from: UInt64, to: UInt64) -> Bool { answers.contains([from, to]) }

    /// Records an answer; true when it brought `party` into the call.
    func answer(_ party: CallParty, to target: UInt64) -> Bool {
        answers.insert([party.session, target])
        everAnswered = true
        guard joined[party.session] == nil else { return false }
        joined[party.session] = party.user
        return true
    }

    func reject(_ user: Int64) { rejected.insert(user) }

    func leave(_ session: UInt64) { joined[session] = nil }
}
