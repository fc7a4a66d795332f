/// The database as the services use it, whatever engine is behind it.
///
/// Contract: `read` runs its work in one consistent snapshot, off the caller's thread, and
/// passes the result to `completion` on a store thread. `write` runs its work atomically on the
/// store's one ordered writer and calls `completion` only after the work is durable (or with the
/// failure); completions run in commit order, so they must be short and must never wait on
/// another write. The `Now` forms block the caller: for tools, startup and tests only.
///
/// Work is written against `StoreTransaction` (SQL with `?N` parameters, rows by column index),
/// so the chat repository's queries run on either engine: `SQLiteStore` (the embedded default)
/// or `PostgreSQLStore` (which translates `?N` to `$N`, see `PlaceholderTranslation`).
package protocol Store: AnyObject, Sendable {
    /// Runs `work` in a read-only snapshot on a store thread.
    func read<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    )

    /// Runs `work` atomically on the writer; `completion` hears the outcome once it is durable.
    func write<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    )

    /// Runs `work` in a read-only snapshot on the calling thread.
    func readNow<T>(_ work: (any StoreTransaction) throws(StoreError) -> T) throws(StoreError) -> T

    /// Queues `work` like `write` and blocks until it is durable; `.misuse` from a write completion.
    @discardableResult
    func writeNow<T: Sendable>(
        _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T
    ) throws(StoreError) -> T

    /// Finishes the queued work and releases the connections; later work fails with `.closed`.
    func close()

    /// The engine's own figures in Prometheus text (checkpoints, for SQLite).
    func renderMetrics() -> String
}
