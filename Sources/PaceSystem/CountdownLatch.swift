/// Lets one thread sleep until others have each reported once (`countDown`), with or without
/// a deadline: start-up waits for every loop, shutdown for every loop to empty.
/// `@unchecked Sendable`: `remaining` is read and written only under `lock`.
package final class CountdownLatch: @unchecked Sendable {
    private let lock = ConditionLock()
    private var remaining: Int

    package init(count: Int) {
        remaining = count
    }

    package func countDown() {
        lock.withLock {
            remaining -= 1
            if remaining <= 0 { lock.broadcast() }
        }
    }

    package func wait() {
        lock.withLock {
            while remaining > 0 { lock.wait() }
        }
    }

    /// Waits until the count reaches zero or `deadline` (`Clock.monotonicMilliseconds`) passes;
    /// whether it reached zero.
    @discardableResult
    package func wait(untilMonotonicMilliseconds deadline: Int64) -> Bool {
        lock.withLock {
            while remaining > 0 {
                guard lock.wait(untilMonotonicMilliseconds: deadline) else { return remaining <= 0 }
            }
            return true
        }
    }
}
