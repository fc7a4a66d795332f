import PaceSystem
/// Carries one result from a store thread to a thread that blocks for it (`Store.writeNow`).
///
/// `@unchecked Sendable`: `value` is only touched with `lock` held.
final class ResultLatch<T>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var value: Result<T, StoreError>?

    func deliver(_ result: Result<T, StoreError>) {
        lock.withLock { value = result }
        lock.broadcast()
    }

    /// Blocks until `deliver` was called, then returns its result.
    func wait() -> Result<T, StoreError> {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let value { return value }
            lock.wait()
        }
    }
}
