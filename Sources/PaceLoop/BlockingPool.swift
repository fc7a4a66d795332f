import PaceSystem

/// A few threads for work that must never run on an event loop: password hashing, file I/O,
/// slow queries. Results go back to a loop with `EventLoop.execute`.
///
/// `@unchecked Sendable`: the queue is only touched under `lock`.
package final class BlockingPool: @unchecked Sendable {
    private let lock = ConditionLock()
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var closed = false
    private var threads: [OSThread] = []

    /// `niceness` (0 to 19) lowers the threads' scheduling priority: a pool that saturates
    /// the cores (password hashing) then yields to the event loops whenever they have work.
    package init(threads count: Int, name: String = "pace-blocking", niceness: Int32 = 0) throws(SystemError) {
        for i in 0..<max(1, count) {
            threads.append(try OSThread(name: "\(name)-\(i)") { [self] in
                if niceness > 0 { Scheduling.lowerCurrentThread(niceness: niceness) }
                work()
            })
        }
    }

    /// Queues `task`; it runs on some pool thread in submission order relative to others.
    package func submit(_ task: @escaping @Sendable () -> Void) {
        lock.withLock {
            queue.append(task)
            lock.signal()
        }
    }

    /// Finishes queued work, then stops and joins the threads.
    package func shutdown() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
        for thread in threads { thread.join() }
        threads.removeAll()
    }

    private func work() {
        while let task = next() { task() }
    }

    private func next() -> (@Sendable () -> Void)? {
        lock.withLock {
            while head == queue.count && !closed { lock.wait() }
            guard head < queue.count else { return nil }
            let task = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            return task
        }
    }
}
