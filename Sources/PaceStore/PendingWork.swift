import PaceSystem

/// A unit of work queued for a store thread, type-erased so one queue holds any result type.
/// One object per request holds the work, its completion and its result: the only allocation
/// beyond the caller's closures.
///
/// `@unchecked Sendable`: an item is created by the submitting thread and then handed from thread
/// to thread (submitter, store thread, completion thread) only through a queue's mutex, which
/// orders every earlier write before the next owner's reads; one thread owns it at a time.
class PendingWork: @unchecked Sendable {
    /// Runs the work in `transaction`; returns whether it succeeded.
    func run(_ transaction: any StoreTransaction) -> Bool { false }

    /// Fixes the outcome: `error` replaces a success that did not become durable, and is the
    /// outcome of work that never ran.
    func settle(overriding error: StoreError?) {}

    /// Passes the settled outcome to the completion.
    func deliver() {}
}

/// A `PendingWork` producing a `T`.
final class TypedWork<T: Sendable>: PendingWork, @unchecked Sendable {
    private let work: @Sendable (any StoreTransaction) throws(StoreError) -> T
    private let completion: @Sendable (Result<T, StoreError>) -> Void
    private var result: Result<T, StoreError>?

    init(work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
         completion: @escaping @Sendable (Result<T, StoreError>) -> Void) {
        self.work = work
        self.completion = completion
    }

    override func run(_ transaction: any StoreTransaction) -> Bool {
        do {
            result = .success(try work(transaction))
            return true
        } catch {
            result = .failure(error)
            return false
        }
    }

    override func settle(overriding error: StoreError?) {
        switch (result, error) {
        case (.success?, let error?), (nil, let error?): result = .failure(error)
        case (_?, _): break
        case (nil, nil): result = .failure(.misuse(message: "settled without running"))
        }
    }

    override func deliver() {
        completion(result ?? .failure(.misuse(message: "delivered before settling")))
    }
}

extension PendingWork {
    /// Settles with `error` and delivers at once, for work refused before it could run.
    func fail(_ error: StoreError) {
        settle(overriding: error)
        deliver()
    }
}

extension WorkQueue where Item == PendingWork {
    /// Queues `work` with its completion; a closed queue fails it at once with `.closed`.
    func submit<T: Sendable>(_ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
                             completion: @escaping @Sendable (Result<T, StoreError>) -> Void) {
        let item = TypedWork(work: work, completion: completion)
        if !push(item) { item.fail(.closed) }
    }
}

/// `Store.writeNow` for both engines: queues `work` through `store.write` and waits for its
/// durable outcome. Refused (`.misuse`) from the store's writer or completion thread, which
/// would wait on itself.
func waitForWrite<T: Sendable>(
    _ store: some Store, onStoreThread: Bool,
    _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T
) throws(StoreError) -> T {
    if onStoreThread { throw StoreError.misuse(message: "writeNow called from a write completion") }
    let latch = ResultLatch<T>()
    store.write(work) { latch.deliver($0) }
    return try latch.wait().get()
}
