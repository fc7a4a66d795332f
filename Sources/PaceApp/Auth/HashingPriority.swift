#if canImport(Glibc)
import Glibc
#endif

/// Argon2 is meant to saturate a core. Run at nice 19 (the lowest), a hashing thread yields to the event
/// loops whenever they have work, so every other request (and /healthz) stays fast during a
/// login storm on a small machine. Linux applies nice per thread (`who` 0 is the calling
/// thread, not the process); setting it is idempotent.
enum HashingPriority {
    static let niceness: Int32 = 19

    static func lowerCurrentThread() {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
    }
}
