import PaceLoop
import PaceStore
import PaceSystem

/// Deletes refresh tokens a week past their expiry. Rotation keeps every used token so that
/// presenting one again revokes its family; once it has been dead a week that signal is worth
/// less than the row, and without a sweep the table grows by one row per refresh forever.
/// Small batches keep each write short, since messages share the store's one writer.
package final class RefreshTokenSweeper: Sendable {
    private let store: any Store
    private static let batch = 1_000
    static let graceMilliseconds: Int64 = 7 * 24 * 3_600_000
    static let intervalMilliseconds: Int64 = 3_600_000

    init(store: any Store) {
        self.store = store
    }

    /// Sweeps a minute after start, then hourly, on the blocking pool.
    func start(on loop: EventLoop, pool: BlockingPool) {
        PeriodicJob.start(on: loop, pool: pool, firstDelayMilliseconds: 60_000,
                          intervalMilliseconds: Self.intervalMilliseconds) { [self] in
            sweep(now: Clock.wallMilliseconds())
        }
    }

    /// One sweep as of `now` (wall milliseconds); returns the tokens deleted. Blocks on the
    /// store: pool threads and tests only.
    @discardableResult
    package func sweep(now: Int64) -> Int {
        var deleted = 0
        do {
            while true {
                let count = try store.writeNow { database throws(StoreError) in
                    try RefreshTokens.purge(expiredBefore: now - Self.graceMilliseconds, limit: Self.batch, in: database)
                }
                deleted += count
                if count < Self.batch { break }
            }
        } catch {
            Log.error("refresh token sweep failed", ["error": "\(error)"])
        }
        if deleted > 0 { Log.info("refresh token sweep", ["deleted": String(deleted)]) }
        return deleted
    }
}
