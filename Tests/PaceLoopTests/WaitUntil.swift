#if canImport(Glibc)
import Glibc
#endif
import PaceSystem

/// Polls `condition` until it holds or two seconds pass; the caller's expectations then tell
/// which it was.
func waitUntil(_ condition: () -> Bool) {
    let deadline = Clock.monotonicMilliseconds() + 2000
    while !condition() && Clock.monotonicMilliseconds() < deadline { usleep(200) }
}
