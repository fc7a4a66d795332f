/// When a failed delivery is tried again: exponential backoff from `baseMilliseconds`
/// (doubling per failed attempt, each wait capped at `maxDelayMilliseconds`), until
/// `windowMilliseconds` after the delivery was created, when it is given up.
package struct RetrySchedule: Sendable, Equatable {
    package var baseMilliseconds: Int64
    package var maxDelayMilliseconds: Int64
    package var windowMilliseconds: Int64

    /// Webhooks: 5 s, 10 s, 20 s, … at most an hour apart, for 24 hours.
    package static let webhooks = RetrySchedule(baseMilliseconds: 5_000, maxDelayMilliseconds: 3_600_000,
                                                windowMilliseconds: 24 * 3_600_000)

    package init(baseMilliseconds: Int64, maxDelayMilliseconds: Int64, windowMilliseconds: Int64) {
        self.baseMilliseconds = baseMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
        self.windowMilliseconds = windowMilliseconds
    }

    /// The wait after the `attempts`-th failed attempt (1 for the first).
    package func delay(afterAttempts attempts: Int64) -> Int64 {
        let doublings = max(0, min(attempts - 1, 40))
        let (delay, overflow) = baseMilliseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        return overflow ? maxDelayMilliseconds : min(delay, maxDelayMilliseconds)
    }

    /// When to try next after `attempts` failures, or nil when that would be past the window.
    package func nextAttempt(afterAttempts attempts: Int64, createdAt: Int64, now: Int64) -> Int64? {
        let next = now + delay(afterAttempts: attempts)
        return next - createdAt > windowMilliseconds ? nil : next
    }
}
