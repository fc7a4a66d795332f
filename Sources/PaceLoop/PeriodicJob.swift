/// Housekeeping on a schedule: `work` runs on a blocking pool, first after a delay and then an
/// interval after each run ends (runs never overlap), timed by one loop's timers, so it stops
/// with that loop.
package enum PeriodicJob {
    package static func start(on loop: EventLoop, pool: BlockingPool, firstDelayMilliseconds: Int64,
                               intervalMilliseconds: Int64, _ work: @escaping @Sendable () -> Void) {
        loop.execute {
            schedule(on: loop, pool: pool, after: firstDelayMilliseconds, interval: intervalMilliseconds, work)
        }
    }

    private static func schedule(on loop: EventLoop, pool: BlockingPool, after delay: Int64, interval: Int64,
                                 _ work: @escaping @Sendable () -> Void) {
        loop.schedule(after: delay) {
            pool.submit {
                work()
                loop.execute { schedule(on: loop, pool: pool, after: interval, interval: interval, work) }
            }
        }
    }
}
