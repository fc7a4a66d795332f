import PaceLoop
import Synchronization

/// One recipient device's frame of an encrypted message, and the user owning that device.
struct DeviceFrame: Sendable {
    let userID: Int64
    let frame: SharedBytes
}

/// The chat sockets of one event loop, by user. Confined to that loop: the `Hub` reaches it
/// only through `loop.execute`, so delivery needs no lock.
final class LoopHub {
    /// Strong: the hub outlives the server's loops during shutdown.
    let loop: EventLoop
    private let statistics: HubStatistics
    private let clock: DeliveryClock
    private var socketsByUser: [Int64: [ChatSocket]] = [:]
    /// Seed-002 sockets, by the one conversation they follow: kept out of `socketsByUser` so
    /// that only that conversation's new messages reach them.
    private var scopedSockets: [Int64: [ChatSocket]] = [:]

    init(loop: EventLoop, statistics: HubStatistics) {
        self.loop = loop
        self.statistics = statistics
        clock = DeliveryClock(loop: loop, histogram: statistics.deliveryLatency)
    }

    func add(_ socket: ChatSocket) {
        if let conversation = socket.conversationScope {
            scopedSockets[conversation, default: []].append(socket)
        } else {
            socketsByUser[socket.user.id, default: []].append(socket)
        }
        statistics.socketsOpen.add(1, ordering: .relaxed)
    }

    func remove(_ socket: ChatSocket) {
        statistics.socketsOpen.subtract(1, ordering: .relaxed)
        if let conversation = socket.conversationScope {
            guard var sockets = scopedSockets[conversation] else { return }
            sockets.removeAll { $0 === socket }
            scopedSockets[conversation] = sockets.isEmpty ? nil : sockets
            return
        }
        guard var sockets = socketsByUser[socket.user.id] else { return }
        sockets.removeAll { $0 === socket }
        socketsByUser[socket.user.id] = sockets.isEmpty ? nil : sockets
    }

    /// Queues a `message.new` on the seed-002 sockets of `conversation` whose user is among
    /// `members` (the members when the message was stored), the sending socket included.
    func deliverScoped(_ frame: SharedBytes, conversation: Int64, members: [Int64]) {
        guard let sockets = scopedSockets[conversation] else { return }
        // Rare and few: a set only when the scan would be long.
        let audience: Set<Int64>? = members.count * sockets.count > 4096 ? Set(members) : nil
        var delivered = 0
        for socket in sockets where audience?.contains(socket.user.id) ?? members.contains(socket.user.id) {
            if socket.deliver(frame, droppable: false, version: nil) { delivered += 1 }
        }
        statistics.framesDelivered.add(delivered, ordering: .relaxed)
    }

    /// Queues `frame` on every socket of `users` except the session `except`. The same bytes
    /// go to every socket; a droppable frame skips sockets that are already behind; `version`
    /// lets a socket still replaying drop what its replay already holds; `committedAt` times a
    /// stored change until it is written here. With `wantsReached`, returns the users that had
    /// at least one socket here.
    @discardableResult
    func deliver(_ frame: SharedBytes, to users: [Int64], except: UInt64?, droppable: Bool,
                 version: Int64? = nil, committedAt: Int64? = nil, wantsReached: Bool = false) -> [Int64] {
        var reached: [Int64] = []
        var delivered = 0, dropped = 0
        for user in users {
            guard let sockets = socketsByUser[user] else { continue }
            var sent = false
            for socket in sockets where socket.sessionID != except {
                if socket.deliver(frame, droppable: droppable, version: version) {
                    sent = true
                    delivered += 1
                } else {
                    dropped += 1
                }
            }
            if sent && wantsReached { reached.append(user) }
        }
        statistics.framesDelivered.add(delivered, ordering: .relaxed)
        if delivered > 0, let committedAt { clock.written(committedAt: committedAt) }
        if dropped > 0 { statistics.framesDropped.add(dropped, ordering: .relaxed) }
        return reached
    }

    /// `deliver` for an encrypted message: each socket gets the frame of the device it declared
    /// when that device is its user's, otherwise `fallback` (no ciphertext).
    func deliverEncrypted(_ fallback: SharedBytes, _ frames: [Int64: DeviceFrame], to users: [Int64], except: UInt64?,
                          version: Int64, committedAt: Int64) -> [Int64] {
        var reached: [Int64] = []
        var delivered = 0
        for user in users {
            guard let sockets = socketsByUser[user] else { continue }
            var sent = false
            for socket in sockets where socket.sessionID != except {
                var frame = fallback
                if let device = socket.deviceID, let own = frames[device], own.userID == user { frame = own.frame }
                if socket.deliver(frame, droppable: false, version: version) {
                    sent = true
                    delivered += 1
                }
            }
            if sent { reached.append(user) }
        }
        statistics.framesDelivered.add(delivered, ordering: .relaxed)
        if delivered > 0 { clock.written(committedAt: committedAt) }
        return reached
    }

    /// Queues `frame` on the sockets of `user` that `accepts`.
    func send(_ frame: SharedBytes, to user: Int64, where accepts: (ChatSocket) -> Bool) {
        for socket in socketsByUser[user] ?? [] where accepts(socket) {
            _ = socket.deliver(frame, droppable: false, version: nil)
        }
    }

    /// Every socket of this loop, for revocation sweeps.
    var allSockets: [ChatSocket] { socketsByUser.values.flatMap { $0 } + scopedSockets.values.flatMap { $0 } }
}
