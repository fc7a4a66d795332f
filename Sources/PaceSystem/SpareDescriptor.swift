#if canImport(Glibc)
import Glibc
#endif

/// One descriptor held in reserve. When `accept` fails with EMFILE, releasing it lets the
/// listener accept and immediately close the waiting connection, so a level-triggered
/// listener does not spin and the client is told "no" instead of hanging.
package struct SpareDescriptor: ~Copyable {
    private var fd: Int32

    package init() {
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Frees the spare, runs `body` with the slot available, and takes the spare back.
    package mutating func whileReleased(_ body: () -> Void) {
        if fd >= 0 { close(fd) }
        body()
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
