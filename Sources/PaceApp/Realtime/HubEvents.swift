import PaceLoop

/// How the hub turns each item into frames and recipients, once its audience is known. Hub
/// thread only, in submission order (see `Hub.run`).
extension Hub {
    func perform(_ work: HubWork, audience: [Int64]) {
        switch work {
        case .event(let event, let origin, let committedAt):
            statistics.eventsHandled.add(1, ordering: .relaxed)
            handle(event, origin: origin, members: audience, committedAt: committedAt)
        case .presence(let user, let presence, let lastSeenAt):
            var audience = audience
            if !audience.contains(user) { audience.append(user) }
            let frame = ServerFrame.presence(userID: user, presence: presence, lastSeenAt: lastSeenAt)
            broadcast(frame, to: audience, droppable: true)
            relay.relay([frame], to: audience, droppable: true)
        case .typing(let conversation, let user, let start, let notMember):
            guard audience.contains(user) else { return notMember() }
            let frame = ServerFrame.typing(conversationID: conversation, userID: user, start: start)
            let others = audience.filter { $0 != user }
            broadcast(frame, to: others, droppable: true)
            relay.relay([frame], to: others, droppable: true)
        case .callStart(let conversation, let media, let sdp, let party, let ref):
            startCall(conversation, media, sdp, party, ref, members: audience)
        }
    }

    /// `members` are the conversation's members for every event but `conversationUpdated`,
    /// which carries its own.
    private func handle(_ event: ChatEvent, origin: UInt64?, members: [Int64], committedAt: Int64) {
        switch event {
        case .messageCreated(let conversation, let messageID, let seq, let sender, let message):
            let receipts = members.count <= configuration.deliveryReceiptLimit
            var onReached: (@Sendable ([Int64]) -> Void)?
            if receipts {
                onReached = { @Sendable [self] reached in
                    submit { [self] in deliveredReceipts(conversation, messageID, sender: sender, reached: reached) }
                }
            }
            deliver(ServerFrame.message(type: "message.new", message: message), to: members, except: origin,
                    version: seq, committedAt: committedAt, scope: conversation, reached: onReached)
        case .encryptedMessageCreated(let conversation, let messageID, let seq, let sender, let message, let ciphertexts):
            let receipts = members.count <= configuration.deliveryReceiptLimit
            var onReached: (@Sendable ([Int64]) -> Void)?
            if receipts {
                onReached = { @Sendable [self] reached in
                    submit { [self] in deliveredReceipts(conversation, messageID, sender: sender, reached: reached) }
                }
            }
            var frames: [Int64: DeviceFrame] = [:]
            for device in ciphertexts {
                frames[device.deviceID] = DeviceFrame(userID: device.userID,
                                                      frame: ServerFrame.message(type: "message.new", message: device.message))
            }
            deliverEncrypted(ServerFrame.message(type: "message.new", message: message), frames, to: members, except: origin,
                             version: seq, committedAt: committedAt, scope: conversation, reached: onReached)
        case .keysChanged(let user, let change):
            var audience = members
            if !audience.contains(user) { audience.append(user) }
            broadcast(ServerFrame.keysChanged(change), to: audience)
        case .keysLow(let devices):
            for low in devices {
                send(ServerFrame.keysLow(deviceID: low.deviceID, remaining: low.remaining), to: low.userID) {
                    $0.deviceID == low.deviceID
                }
            }
        case .messageUpdated(_, let version, let message):
            deliver(ServerFrame.message(type: "message.updated", message: message), to: members, version: version,
                    committedAt: committedAt)
        case .messageDeleted(_, let version, let message):
            deliver(ServerFrame.message(type: "message.deleted", message: message), to: members, version: version,
                    committedAt: committedAt)
        case .reaction(let conversation, let messageID, let emoji, let user, let added, let version, _):
            let frame = ServerFrame.reaction(conversationID: conversation, messageID: messageID, emoji: emoji,
                                             userID: user, added: added)
            deliver(frame, to: members, version: version, committedAt: committedAt)
        case .read(let conversation, let user, let messageID, let seq):
            coalesceRead(conversation, reader: user, messageID: messageID, seq: seq, members: members)
        case .conversationUpdated(let conversation, let current, let removed, let json):
            membership.update(conversation, members: current)
            broadcast(ServerFrame.conversationUpdated(json), to: current + removed)
        }
    }

    /// `delivered` receipts to the sender, once per recipient and message, for the users a
    /// `message.new` reached on some loop.
    private func deliveredReceipts(_ conversation: Int64, _ messageID: Int64, sender: Int64, reached: [Int64]) {
        let frames = reached.filter { $0 != sender && deliveries.firstDelivery(messageID, $0) }.map { user in
            ServerFrame.receipt(conversationID: conversation, userID: user, messageID: messageID, read: false)
        }
        broadcast(frames, to: [sender], droppable: true)
        relay.relay(frames, to: [sender], droppable: true)
    }
}

/// Which (message, recipient) pairs already produced a `delivered` receipt. Bounded: the
/// oldest half is forgotten when it fills, which at worst repeats a receipt.
final class DeliveryLedger {
    private var seen: Set<Pair> = []
    private var order: [Pair] = []
    private let capacity = 100_000

    private struct Pair: Hashable {
        let message: Int64
        let user: Int64
    }

    func firstDelivery(_ message: Int64, _ user: Int64) -> Bool {
        let pair = Pair(message: message, user: user)
        guard seen.insert(pair).inserted else { return false }
        order.append(pair)
        if order.count > capacity {
            for old in order[0..<(capacity / 2)] { seen.remove(old) }
            order.removeFirst(capacity / 2)
        }
        return true
    }
}
