#if canImport(Glibc)
import Glibc
#endif
import CShims

/// A non-blocking eventfd: any thread signals it, the owning loop drains it.
package struct EventFD: ~Copyable {
    package let fd: Int32

    package init() throws(SystemError) {
        fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw SystemError("eventfd") }
    }

    deinit { close(fd) }

    /// Safe from any thread. A full counter (EAGAIN) already means "wake up".
    package func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, MemoryLayout<UInt64>.size)
    }

    package func drain() {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, MemoryLayout<UInt64>.size)
    }
}
