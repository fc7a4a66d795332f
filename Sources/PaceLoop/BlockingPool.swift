import PaceSystem
import Synchronization

/// A few threads for work that must never run on an event loop: password hashing, file I/O,
/// slow queries. Results go back to a loop with `EventLoop.execute`.
package final class BlockingPool: Sendable {
    private let queue = WorkQueue<@Sendable () -> Void>()
    private let threads: [OSThread]
    private let stopped = Atomic<Bool>(false)

    /// `niceness` (0 to 19) lowers the threads' scheduling priority: a pool that saturates
    /// the cores (password hashing) then yields to the event loops whenever they have work.
    package init(threads count: Int, name: String = "pace-blocking", niceness: Int32 = 0) throws(SystemError) {
        let queue = self.queue
        var threads: [OSThread] = []
        for i in 0..<max(1, count) {
            threads.append(try OSThread(name: "\(name)-\(i)") {
                if niceness > 0 { Scheduling.lowerCurrentThread(niceness: niceness) }
                var batch: [@Sendable () -> Void] = []
                while queue.take(into: &batch, limit: 1) {
                    for task in batch { task() }
                    batch.removeAll(keepingCapacity: true)
                }
            })
        }
        self.threads = threads
    }

    /// Queues `task` for some pool thread; false (and never run) after `shutdown`.
    @discardableResult
    package func submit(_ task: @escaping @Sendable () -> Void) -> Bool {
        queue.push(task)
    }

    /// Finishes queued work, then stops and joins the threads.
    package func shutdown() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.close()
        for thread in threads where !thread.isCurrent { thread.join() }
    }
}
