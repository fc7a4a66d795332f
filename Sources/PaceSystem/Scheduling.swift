#if canImport(Glibc)
import Glibc
#endif

/// Thread scheduling priority.
package enum Scheduling {
    /// Sets the calling thread's nice value (Linux applies it per thread: `who` 0 is the
    /// calling thread, not the process).
    package static func lowerCurrentThread(niceness: Int32) {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
    }
}
