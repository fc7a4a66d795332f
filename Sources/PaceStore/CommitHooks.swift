/// Schema work the SQLite writer folds into every write transaction right before COMMIT, so it
/// commits (or rolls back) atomically with the batch. Supplied by the schema's owner (the chat
/// repository: bulk full-text indexing, the sequence cross-check), so this generic layer knows
/// no table but `sequence`.
package protocol CommitHook: Sendable {
    /// Runs inside the open transaction, immediately before COMMIT. `deferrable` is true when
    /// writes are waiting, so bulk upkeep may wait for a quieter batch; the writer passes false at
    /// least once every `GroupCommitWriter.deferredUpkeepLimit` writes.
    func beforeCommit(_ transaction: any StoreTransaction, deferrable: Bool) throws(StoreError)

    /// The highest sequence value stored rows already use, which the `sequence` row may trail
    /// (rows written by another tool); counting resumes above both.
    func sequenceFloor(_ transaction: any StoreTransaction) throws(StoreError) -> Int64
}

extension Database {
    /// Runs inside the open transaction, immediately before COMMIT: persists the sequence, then
    /// the schema's hook.
    func beforeCommit(deferrable: Bool = false) throws(StoreError) {
        try persistSequence()
        try commitHook?.beforeCommit(self, deferrable: deferrable)
    }
}
