import PaceSystem
/// A closable multi-producer queue drained by dedicated threads. Producers never block beyond
/// the mutex; consumers sleep on the condition variable, so nothing busy-waits.
///
/// `@unchecked Sendable`: `items`, `closed` and `sleepers` are only touched with `lock` held.
package final class WorkQueue<Item>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var items: [Item] = []
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
        while items.isEmpty {
            if closed { return false }
            sleepers += 1
            lock.wait()
            sleepers -= 1
        }
        if items.count <= limit {
            // Swapping keeps both buffers' capacity, so steady state allocates nothing.
            swap(&batch, &items)
        } else {
            batch.append(contentsOf: items[..<limit])
            items.removeFirst(limit)
        }
        return true
    }

    /// Whether nothing is waiting right now (a snapshot: producers may add items at any time).
    package var isEmpty: Bool {
        lock.withLock { items.isEmpty }
    }

    /// Refuses new items and wakes every consumer; queued items are still handed out.
    package func close() {
        lock.withLock { closed = true }
        lock.broadcast()
    }
}
