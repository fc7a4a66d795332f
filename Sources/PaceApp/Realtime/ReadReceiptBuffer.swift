/// `read` receipts waiting for their conversation's window to close
/// (`RealtimeConfiguration.readReceiptWindowMilliseconds`). Per conversation, one position per
/// reader, the highest: many marks in a window become one frame per reader, whatever the
/// size of the group. Hub thread only.
final class ReadReceiptBuffer {
    struct Pending {
        /// Reader → the furthest message they read and its seq.
        var positions: [Int64: (messageID: Int64, seq: Int64)] = [:]
        /// The members when the latest mark was published: who hears the receipts.
        var members: [Int64] = []
    }

    private(set) var pending: [Int64: Pending] = [:]

    /// Keeps `reader`'s mark if it is their furthest; true when the conversation's window just
    /// opened (the caller schedules its flush).
    func add(_ conversation: Int64, reader: Int64, messageID: Int64, seq: Int64, members: [Int64]) -> Bool {
        let opened = pending[conversation] == nil
        var entry = pending[conversation] ?? Pending()
        if let held = entry.positions[reader], held.seq >= seq {
            // A mark never moves backwards; an older one published late changes nothing.
        } else {
            entry.positions[reader] = (messageID, seq)
        }
        entry.members = members
        pending[conversation] = entry
        return opened
    }

    /// Takes what waits for `conversation`, closing its window.
    func take(_ conversation: Int64) -> Pending? {
        pending.removeValue(forKey: conversation)
    }
}

extension Hub {
    /// Holds a published read mark until the conversation's window closes. Hub thread.
    func coalesceRead(_ conversation: Int64, reader: Int64, messageID: Int64, seq: Int64, members: [Int64]) {
        guard reads.add(conversation, reader: reader, messageID: messageID, seq: seq, members: members) else { return }
        let flush: @Sendable () -> Void = { [self] in
            submit { [self] in flushReads(conversation) }
        }
        guard let loop = anyLoop else { return flush() }
        let window = configuration.readReceiptWindowMilliseconds
        loop.execute { loop.schedule(after: window, flush) }
    }

    /// One `receipt` (status `read`) per reader of the window, in one `execute` per loop. Hub thread.
    private func flushReads(_ conversation: Int64) {
        guard let entry = reads.take(conversation) else { return }
        let frames = entry.positions.sorted { $0.key < $1.key }.map { reader, position in
            ServerFrame.receipt(conversationID: conversation, userID: reader, messageID: position.messageID, read: true)
        }
        broadcast(frames, to: entry.members, droppable: true)
    }
}
