#if canImport(Glibc)
import Glibc
#endif

/// Process-wide signal set-up. Termination signals and SIGHUP are blocked in every thread and
/// taken synchronously by one waiter, so no handler ever runs inside the event loops.
package enum Signals {
    /// Writes to a closed socket must fail with EPIPE, not kill the process.
    package static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and every thread it starts later.
    package static func blockTermination() {
        var set = terminationSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for SIGINT or SIGTERM and returns the signal number. Each SIGHUP meanwhile runs
    /// `onHangup` on the waiting thread (reloads that read files belong there, not on a loop).
    package static func waitForTermination(onHangup: () -> Void = {}) -> Int32 {
        var set = terminationSet()
        while true {
            var received: Int32 = 0
            guard sigwait(&set, &received) == 0 else { continue }
            if received == SIGHUP {
                onHangup()
                continue
            }
            return received
        }
    }

    private static func terminationSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGHUP)
        return set
    }
}
