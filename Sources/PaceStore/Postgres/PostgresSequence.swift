/// The writer's block of the server-wide sequence for one batch.
///
/// Every batch begins by locking the `sequence` row (`SELECT value … FOR UPDATE`, outside the
/// items' savepoints, where a rollback would release the lock) and ends, before COMMIT, by
/// writing back the last value handed out. The row lock is held to COMMIT, so writers in several
/// Pace instances take their blocks one batch at a time and commit in the order of their values:
/// a reader never sees seq N+1 committed before seq N. Values taken by an item that rolled back
/// are skipped (gaps, which the seam allows); a batch whose COMMIT fails stored none of its
/// values, and the next batch starts again from the stored value.
struct PostgresSequence {
    /// The stored value when the batch locked the row.
    let stored: Int64
    /// The last value handed out in this batch.
    private(set) var last: Int64

    init(stored: Int64) {
        self.stored = stored
        last = stored
    }

    mutating func next() throws(StoreError) -> Int64 {
        guard last < Int64.max else { throw StoreError.misuse(message: "sequence exhausted") }
        last += 1
        return last
    }

    /// Whether the batch took values that must be written back.
    var advanced: Bool {
        last > stored
    }
}
