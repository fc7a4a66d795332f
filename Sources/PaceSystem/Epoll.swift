#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Readiness interest, in epoll's bits.
package struct Interest: OptionSet, Sendable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let readable = Interest(rawValue: EPOLLIN.rawValue)
    package static let writable = Interest(rawValue: EPOLLOUT.rawValue)
}

/// A level-triggered epoll instance. The 64-bit user datum is the registered descriptor.
package struct Epoll: ~Copyable {
    package let fd: Int32

    package init() throws(SystemError) {
        fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw SystemError("epoll_create1") }
    }

    deinit { close(fd) }

    package func add(_ target: Int32, _ interest: Interest) throws(SystemError) {
        try control(EPOLL_CTL_ADD, target, interest)
    }

    package func modify(_ target: Int32, _ interest: Interest) throws(SystemError) {
        try control(EPOLL_CTL_MOD, target, interest)
    }

    /// Closing a descriptor also removes it; this is for descriptors that stay open.
    package func remove(_ target: Int32) throws(SystemError) {
        guard epoll_ctl(fd, EPOLL_CTL_DEL, target, nil) == 0 else { throw SystemError("epoll_ctl") }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever). A signal (EINTR) is not an error: it
    /// reads as zero events and the caller waits again; anything else (EBADF, EFAULT, EINVAL)
    /// means the instance itself is broken and is thrown.
    package func wait(into events: UnsafeMutableBufferPointer<epoll_event>,
                      timeoutMilliseconds: Int32) throws(SystemError) -> Int {
        let count = epoll_wait(fd, events.baseAddress, Int32(events.count), timeoutMilliseconds)
        if count >= 0 { return Int(count) }
        guard errno == EINTR else { throw SystemError("epoll_wait") }
        return 0
    }

    private func control(_ operation: Int32, _ target: Int32, _ interest: Interest) throws(SystemError) {
        var event = epoll_event()
        event.events = interest.rawValue
        event.data.u64 = UInt64(UInt32(bitPattern: target))
        guard epoll_ctl(fd, operation, target, &event) == 0 else { throw SystemError("epoll_ctl") }
    }
}
