#if canImport(Glibc)
import Glibc
#endif

/// Time sources. Deadlines use the monotonic clock; timestamps shown to users use wall time.
package enum Clock {
    /// Milliseconds on the monotonic clock (immune to wall-clock jumps).
    package static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1000 &+ Int64(now.tv_nsec) / 1_000_000
    }

    /// Nanoseconds on the monotonic clock, for measuring request durations.
    package static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// Milliseconds since the Unix epoch, UTC.
    package static func wallMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) &* 1000 &+ Int64(now.tv_nsec) / 1_000_000
    }
}
