/// A closable multi-producer queue drained by dedicated threads. Producers never block beyond
/// the mutex; consumers sleep on the condition variable, so nothing busy-waits.
///
/// `@unchecked Sendable`: `items`, `closed` and `sleepers` are only touched with `lock` held.
package final class WorkQueue<Item>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var items: [Item] = []
    /// Items before this index were handed out; taking a few at a time does not shift the rest.
    private var head = 0
    private var closed = false
    /// Consumers waiting on the condition; producers skip the signal syscall when it is zero.
    private var sleepers = 0

    package init() {}

    /// Enqueues `item`; false (and nothing queued) once the queue is closed.
    package func push(_ item: Item) -> Bool {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return false
        }
        items.append(item)
        let wake = sleepers > 0
        lock.unlock()
        if wake { lock.signal() }
        return true
    }

    /// Enqueues all of `newItems` under one lock; false (and nothing queued) once closed.
    package func push(contentsOf newItems: [Item]) -> Bool {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return false
        }
        items.append(contentsOf: newItems)
        let wake = sleepers > 0
        lock.unlock()
        if wake { lock.signal() }
        return true
    }

    /// Moves up to `limit` items into the empty `batch`, sleeping until there is at least one.
    /// Returns false when the queue is closed and fully drained: the consumer should exit.
    package func take(into batch: inout [Item], limit: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while head == items.count {
            if closed { return false }
            sleepers += 1
            lock.wait()
            sleepers -= 1
        }
        if head == 0 && items.count <= limit {
            // Swapping keeps both buffers' capacity, so steady state allocates nothing.
            swap(&batch, &items)
            return true
        }
        let end = min(items.count, head + limit)
        batch.append(contentsOf: items[head..<end])
        head = end
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return true
    }

    /// Whether nothing is waiting right now (a snapshot: producers may add items at any time).
    package var isEmpty: Bool {
        lock.withLock { head == items.count }
    }

    /// Refuses new items and wakes every consumer; queued items are still handed out.
    package func close() {
        lock.withLock { closed = true }
        lock.broadcast()
    }
}
