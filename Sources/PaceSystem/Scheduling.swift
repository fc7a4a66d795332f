#if canImport(Glibc)
import Glibc
#endif
import CShims

/// How the kernel schedules the calling thread: priority, CPU placement, slice length.
package enum Scheduling {
    /// Sets the calling thread's nice value (Linux applies it per thread: `who` 0 is the
    /// calling thread, not the process).
    package static func lowerCurrentThread(niceness: Int32) {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
    }

    /// The CPUs this process may run on (its affinity mask, so a cpuset or `taskset` limit
    /// counts, unlike the number of CPUs online). Never empty.
    package static func allowedCPUs() -> [Int32] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let count = cpus.withUnsafeMutableBufferPointer { pace_allowed_cpus($0.baseAddress, Int32($0.count)) }
        guard count > 0 else {
            // A mask wider than glibc's cpu_set_t (over 1024 CPUs): every online CPU, then.
            return (0..<max(1, Int32(sysconf(Int32(_SC_NPROCESSORS_ONLN))))).map { $0 }
        }
        return Array(cpus.prefix(Int(count)))
    }

    /// Keeps the calling thread on `cpu`.
    package static func pinCurrentThread(to cpu: Int32) throws(SystemError) {
        let result = pace_pin_thread(cpu)
        guard result == 0 else { throw SystemError("pthread_setaffinity_np", code: result) }
    }

    /// Asks for short time slices for the calling thread (EEVDF custom slices, Linux 6.12 and
    /// later; older kernels ignore the request): a thread that works in short bursts is then
    /// picked soon after it becomes runnable and may preempt a thread with longer slices when
    /// it wakes, instead of waiting for the scheduler tick.
    package static func requestSlice(nanoseconds: UInt64) throws(SystemError) {
        let result = pace_request_slice(nanoseconds)
        guard result == 0 else { throw SystemError("sched_setattr", code: result) }
    }

    /// Lets another runnable thread on this CPU go first; returns at once when there is none.
    package static func yield() {
        _ = sched_yield()
    }
}
