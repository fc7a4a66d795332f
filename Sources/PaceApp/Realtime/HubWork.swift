import PaceJSON
import PaceStore

/// One thing the hub fans out, in the order it was submitted. Each needs an audience, which
/// may first have to be read from the store (off the hub thread, see `Hub.run`).
enum HubWork: Sendable {
    /// A committed change from the bus, heard at `committedAt` (monotonic ns).
    case event(ChatEvent, origin: UInt64?, committedAt: Int64)
    /// `user`'s presence changed; it goes to everyone who shares a conversation with them.
    case presence(user: Int64, Presence, lastSeenAt: Int64?)
    /// `user` started or stopped typing in `conversation`; `notMember` answers them if they are not in it.
    case typing(conversation: Int64, user: Int64, start: Bool, notMember: @Sendable () -> Void)
    /// `party` starts a call in `conversation`; its invitees are the other members.
    case callStart(conversation: Int64, media: CallMedia, sdp: String, party: CallParty, ref: JSONValue?)

    /// What must be known before the item can go out; nil when it carries its audience.
    var lookup: AudienceLookup? {
        switch self {
        case .event(.keysChanged(let user, _), _, _): .contacts(user)
        case .event(let event, _, _): event.fanOutConversation.map(AudienceLookup.members)
        case .presence(let user, _, _): .contacts(user)
        case .typing(let conversation, _, _, _), .callStart(let conversation, _, _, _, _): .members(conversation)
        }
    }
}

/// An audience the hub reads from the store.
enum AudienceLookup: Equatable, Sendable {
    /// The members of a conversation (cached by `MembershipCache`).
    case members(Int64)
    /// Everyone who shares a conversation with a user, themselves included.
    case contacts(Int64)

    func read(_ db: any StoreTransaction) throws(StoreError) -> [Int64] {
        switch self {
        case .members(let conversation): try MembershipQueries.members(db, of: conversation)
        case .contacts(let user): try MembershipQueries.contacts(db, of: user)
        }
    }
}

extension ChatEvent {
    /// The conversation whose members receive the event, when they must be looked up.
    var fanOutConversation: Int64? {
        switch self {
        case .messageCreated(let conversation, _, _, _, _), .messageUpdated(let conversation, _, _),
             .encryptedMessageCreated(let conversation, _, _, _, _, _),
             .messageDeleted(let conversation, _, _), .reaction(let conversation, _, _, _, _, _, _),
             .read(let conversation, _, _, _):
            conversation
        case .conversationUpdated, .keysChanged, .keysLow:
            nil
        }
    }
}

/// Items waiting, in order, behind the audience lookup at their head. Hub thread only.
struct HubBacklog {
    private var items: [HubWork] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }
    var first: HubWork? { isEmpty ? nil : items[head] }

    mutating func append(_ work: HubWork) {
        items.append(work)
    }

    mutating func removeFirst() {
        head += 1
        if head == items.count {
            removeAll()
        } else if head >= 4096, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }

    mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
        head = 0
    }
}
