/// The server-wide sequence behind message `seq` and change `version`.
///
/// Design: there is exactly one writer connection, so the counter lives in its memory and
/// `nextSequence()` is an increment, not a query. It is loaded lazily (inside the first write
/// transaction that needs it) from the `sequence` row, cross-checked against the schema's
/// `CommitHook.sequenceFloor` (for chat, `max(messages.seq)`),
/// and written back to that row once per batch, just before COMMIT and outside the items'
/// savepoints, so it lands in the same transaction as the rows that used the values. The stored
/// value is therefore never below any committed use, and after a restart counting resumes above
/// it. Values taken by an item that rolled back are skipped (the batch still stores the counter);
/// the counter only moves forward, so gaps are allowed and duplicates impossible. Only a batch
/// whose COMMIT fails leaves values unstored, and those were never acknowledged or visible.
struct SequenceCounter {
    /// Only the store's writer may hand out values; any other connection would not persist them.
    var enabled = false
    /// The last value handed out, or nil until loaded from the database.
    var current: Int64?
    /// The value written to the `sequence` row in the transaction now open, if any.
    var pending: Int64?
    /// The value known to be committed.
    var committed: Int64 = 0
}

extension Database {
    /// Takes the next value of the server-wide sequence. Writer connection only: call it from
    /// `Store.write` work.
    package func nextSequence() throws(StoreError) -> Int64 {
        guard sequence.enabled else {
            throw StoreError.misuse(message: "nextSequence is only available on the writer connection")
        }
        let last: Int64
        if let current = sequence.current { last = current } else { last = try loadSequence() }
        guard last < Int64.max else { throw StoreError.misuse(message: "sequence exhausted") }
        sequence.current = last + 1
        return last + 1
    }

    /// Marks this connection as the one allowed to hand out sequence values.
    func enableSequence() {
        sequence.enabled = true
    }

    /// Writes the counter into the open transaction if values were taken since the last commit.
    func persistSequence() throws(StoreError) {
        guard sequence.enabled, let current = sequence.current, current > sequence.committed else { return }
        try run("UPDATE sequence SET value = ?1 WHERE id = 1", [.integer(current)])
        sequence.pending = current
    }

    /// Records that the transaction carrying `persistSequence`'s write committed.
    func sequenceCommitted() {
        if let pending = sequence.pending { sequence.committed = pending }
        sequence.pending = nil
    }

    /// Forgets a write that was rolled back; the in-memory counter keeps its value (a gap).
    func sequenceRolledBack() {
        sequence.pending = nil
    }

    private func loadSequence() throws(StoreError) -> Int64 {
        let row = try queryFirst("SELECT value FROM sequence WHERE id = 1") { $0.int64(0) }
        guard let row else { throw StoreError.corrupt(message: "the sequence row is missing") }
        let stored = max(row, try commitHook?.sequenceFloor(self) ?? 0)
        sequence.current = stored
        sequence.committed = stored
        return stored
    }
}
