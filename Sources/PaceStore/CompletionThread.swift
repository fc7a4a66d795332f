import PaceSystem
/// Delivers the writer's completions for large batches on a thread of their own, in commit order.
///
/// Waking a few hundred waiting callers takes longer than running their writes; handing a big
/// batch over lets that overlap with the next batch's work and fsync. A small batch is cheaper to
/// deliver on the writer itself, and doing so keeps batches full when few callers are writing,
/// so the writer delivers inline whenever this thread has nothing left that would have to be
/// delivered first.
///
/// `@unchecked Sendable`: `undelivered` is only touched with `lock` held; `thread` is set once,
/// in `init`, before the object is shared.
final class CompletionThread: @unchecked Sendable {
    /// Batches up to this size are delivered by the writer when that keeps commit order.
    static let inlineLimit = 32

    private let queue = WorkQueue<PendingWork>()
    private let lock = ConditionLock()
    private var undelivered = 0
    private var thread: OSThread?

    init() throws(StoreError) {
        let queue = self.queue
        thread = try OSThread.storeThread(name: "pace-completions") { [unowned self] in
            var batch: [PendingWork] = []
            while queue.take(into: &batch, limit: GroupCommitWriter.batchLimit) {
                for item in batch { item.deliver() }
                lock.withLock { undelivered -= batch.count }
                batch.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Delivers a settled batch, here or on the completion thread, after everything handed over
    /// before it.
    func deliver(_ batch: [PendingWork]) {
        lock.lock()
        let inline = batch.count <= Self.inlineLimit && undelivered == 0
        if !inline { undelivered += batch.count }
        lock.unlock()
        if inline || !queue.push(contentsOf: batch) {
            for item in batch { item.deliver() }
        }
    }

    /// Delivers what is queued, then joins the thread. Call after the writer has stopped.
    func close() {
        queue.close()
        thread?.join()
    }

    /// Whether the caller is the completion thread.
    var isCurrent: Bool {
        thread?.isCurrent ?? false
    }
}
