#if canImport(Glibc)
import Glibc
#endif

/// A mutex with one condition variable, for queues whose consumers sleep until work arrives.
/// `@unchecked Sendable`: the pthread objects live at stable heap addresses for the lock's
/// lifetime and are only touched through pthread calls, which are thread-safe by contract.
package final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        // Timed waits count on the monotonic clock, as every deadline here does.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    package func lock() {
        pthread_mutex_lock(mutex)
    }

    package func unlock() {
        pthread_mutex_unlock(mutex)
    }

    package func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Call with the lock held (inside `withLock`); sleeps until `signal` or `broadcast`.
    package func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Like `wait`, but gives up at `deadline` (`Clock.monotonicMilliseconds`); false then.
    package func wait(untilMonotonicMilliseconds deadline: Int64) -> Bool {
        var time = timespec(tv_sec: Int(deadline / 1000), tv_nsec: Int(deadline % 1000) * 1_000_000)
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
    }

    package func signal() { pthread_cond_signal(condition) }
    package func broadcast() { pthread_cond_broadcast(condition) }
}
