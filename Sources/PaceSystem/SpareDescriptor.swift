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

    /// Frees the spare, runs `body` with the slot available, and takes the spare back. False
    /// when there was no spare to free or it could not be taken back: another thread took the
    /// slot in between, so the next exhaustion finds no spare (until one is free again).
    @discardableResult
    package mutating func whileReleased(_ body: () -> Void) -> Bool {
        if fd < 0 { fd = open("/dev/null", O_RDONLY | O_CLOEXEC) }
        let held = fd >= 0
        if held { close(fd) }
        body()
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        return held && fd >= 0
    }
}
