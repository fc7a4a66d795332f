import PaceLoop

/// The chat sockets of one event loop, by user. Confined to that loop: the `Hub` reaches it
/// only through `loop.execute`, so delivery needs no lock.
final class LoopHub {
    /// Strong: the hub outlives the server's loops during shutdown.
    let loop: EventLoop
    private var socketsByUser: [Int64: [ChatSocket]] = [:]

    init(loop: EventLoop) {
        self.loop = loop
    }

    func add(_ socket: ChatSocket) {
        socketsByUser[socket.user.id, default: []].append(socket)
    }

    func remove(_ socket: ChatSocket) {
        guard var sockets = socketsByUser[socket.user.id] else { return }
        sockets.removeAll { $0 === socket }
        socketsByUser[socket.user.id] = sockets.isEmpty ? nil : sockets
    }

    /// Queues `frame` on every socket of `users` except the session `except`. The same bytes
    /// go to every socket; a droppable frame skips sockets that are already behind; `version`
    /// lets a socket still replaying drop what its replay already holds. Returns the users
    /// that had at least one socket here.
    @discardableResult
    func deliver(_ frame: SharedBytes, to users: [Int64], except: UInt64?, droppable: Bool,
                 version: Int64? = nil) -> [Int64] {
        var reached: [Int64] = []
        for user in users {
            guard let sockets = socketsByUser[user] else { continue }
            var sent = false
            for socket in sockets where socket.sessionID != except {
                sent = socket.deliver(frame, droppable: droppable, version: version) || sent
            }
            if sent { reached.append(user) }
        }
        return reached
    }

    /// Every socket of this loop, for revocation sweeps.
    var allSockets: [ChatSocket] { socketsByUser.values.flatMap { $0 } }
}
