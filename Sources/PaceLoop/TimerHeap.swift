/// Identifies a scheduled timer so it can be cancelled.
package struct TimerID: Hashable, Sendable {
    fileprivate let value: UInt64
}

/// A binary min-heap of deadlines. Cancellation is lazy: the callback is dropped and its heap
/// entry skipped when it surfaces, which keeps cancel O(1).
struct TimerHeap {
    private struct Entry {
        let deadline: Int64
        let id: UInt64
    }

    private var heap: [Entry] = []
    private var callbacks: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 0

    mutating func schedule(at deadline: Int64, _ callback: @escaping () -> Void) -> TimerID {
        nextID &+= 1
        callbacks[nextID] = callback
        heap.append(Entry(deadline: deadline, id: nextID))
        siftUp(heap.count - 1)
        return TimerID(value: nextID)
    }

    mutating func cancel(_ timer: TimerID) {
        callbacks[timer.value] = nil
    }

    /// epoll_wait's timeout: until the earliest live deadline, or forever.
    mutating func timeout(now: Int64) -> Int32 {
        dropCancelledTop()
        guard let first = heap.first else { return -1 }
        return Int32(clamping: max(0, first.deadline - now))
    }

    /// The next callback due by `now`, removed from the heap. The loop calls it outside any
    /// access to the heap, so a callback may schedule or cancel timers.
    mutating func popDue(now: Int64) -> (() -> Void)? {
        while let first = heap.first, first.deadline <= now {
            popTop()
            if let callback = callbacks.removeValue(forKey: first.id) { return callback }
        }
        return nil
    }

    private mutating func dropCancelledTop() {
        while let first = heap.first, callbacks[first.id] == nil { popTop() }
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            var smallest = left
            if right < heap.count && heap[right].deadline < heap[left].deadline { smallest = right }
            guard heap[smallest].deadline < heap[parent].deadline else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
