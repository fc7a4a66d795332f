/// `read` receipts throttled per conversation (`RealtimeConfiguration.readReceiptWindowMilliseconds`):
/// the first mark in a quiet conversation goes out at once and opens a window; marks inside
/// the window are held, one position per reader (the highest), and go out together when it
/// closes, which opens the next window. Many marks become one frame per reader per window,
/// whatever the size of the group, and a lone mark is not delayed. Hub thread only.
final class ReadReceiptBuffer {
    struct Pending {
        /// Reader → the furthest message they read and its seq, held for the window's end.
        var positions: [Int64: (messageID: Int64, seq: Int64)] = [:]
        /// Reader → the seq of the last receipt sent for them, so a mark never moves backwards.
        var sent: [Int64: Int64] = [:]
        /// The members when the latest mark was published: who hears the receipts.
        var members: [Int64] = []
    }

    /// Conversations with an open window.
    private(set) var pending: [Int64: Pending] = [:]

    /// Takes `reader`'s mark. True when no window was open: the caller sends it now and
    /// schedules the window's end. Otherwise the mark is held if it is the reader's furthest.
    func add(_ conversation: Int64, reader: Int64, messageID: Int64, seq: Int64, members: [Int64]) -> Bool {
        guard var entry = pending[conversation] else {
            pending[conversation] = Pending(sent: [reader: seq], members: members)
            return true
        }
        let furthest = Swift.max(entry.positions[reader]?.seq ?? Int64.min, entry.sent[reader] ?? Int64.min)
        if seq > furthest { entry.positions[reader] = (messageID, seq) }
        entry.members = members
        pending[conversation] = entry
        return false
    }

    /// Ends `conversation`'s window: what it held, with the next window opened, or nil (and
    /// the conversation quiet again) when nothing was held.
    func closeWindow(_ conversation: Int64) -> Pending? {
        guard let entry = pending[conversation] else { return nil }
        guard !entry.positions.isEmpty else {
            pending.removeValue(forKey: conversation)
            return nil
        }
        pending[conversation] = Pending(sent: entry.positions.mapValues(\.seq), members: entry.members)
        return entry
    }
}

extension Hub {
    /// Sends a published read mark now when its conversation is quiet, else holds it until the
    /// conversation's window closes. Hub thread.
    func coalesceRead(_ conversation: Int64, reader: Int64, messageID: Int64, seq: Int64, members: [Int64]) {
        guard reads.add(conversation, reader: reader, messageID: messageID, seq: seq, members: members) else { return }
        let frame = ServerFrame.receipt(conversationID: conversation, userID: reader, messageID: messageID, read: true)
        broadcast([frame], to: members, droppable: true)
        scheduleReadWindow(conversation)
    }

    private func scheduleReadWindow(_ conversation: Int64) {
        let flush: @Sendable () -> Void = { [self] in
            submit { [self] in flushReads(conversation) }
        }
        guard let loop = anyLoop else { return flush() }
        let window = configuration.readReceiptWindowMilliseconds
        loop.execute { loop.schedule(after: window, flush) }
    }

    /// One `receipt` (status `read`) per reader the window held, in one `execute` per loop;
    /// the next window stays open while marks keep coming. Hub thread.
    private func flushReads(_ conversation: Int64) {
        guard let entry = reads.closeWindow(conversation) else { return }
        let frames = entry.positions.sorted { $0.key < $1.key }.map { reader, position in
            ServerFrame.receipt(conversationID: conversation, userID: reader, messageID: position.messageID, read: true)
        }
        broadcast(frames, to: entry.members, droppable: true)
        scheduleReadWindow(conversation)
    }
}
