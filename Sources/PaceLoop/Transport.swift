#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
import PaceSystem

/// The byte pipe under a `Connection`: a TCP socket today, TLS or memory tomorrow. The
/// connection does its buffering, write queue, deadlines and protocol hand-offs above it, so
/// a transport only moves bytes and reports readiness. All calls arrive on the loop thread.
///
/// Readiness is level-triggered: while `interest` holds `.readable` and `read` would return
/// bytes or end of stream, the handler keeps being told (likewise `.writable` and room to
/// write). A transport that buffers input itself (TLS records, memory) must re-report it,
/// as the kernel does for a socket.
package protocol Transport: AnyObject {
    /// The peer's address, for rate limits and logs: a 16-byte value, no allocation. A
    /// transport that learns the real client later (a PROXY protocol header) may change it
    /// before the first byte reaches the layer above.
    var peer: IPAddress { get }
    /// Starts reporting readiness for `interest` to `handler` on `loop`; called once.
    func register(_ handler: LoopHandler, interest: Interest, on loop: EventLoop) throws(SystemError)
    /// Changes which readiness is reported.
    func setInterest(_ interest: Interest) throws(SystemError)
    /// Copies available input into `buffer`; `.done(0)` at the end of the peer's stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult<Int>
    /// Writes a prefix of the bytes `vectors` describe, in one go; returns how many were taken.
    func write(_ vectors: UnsafeBufferPointer<iovec>) -> IOResult<Int>
    /// Ends our direction; the peer reads end of stream after everything written.
    func shutdownWrite()
    /// Stops readiness reports and releases the transport; called once, last.
    func close()
}

/// A transport over an accepted, non-blocking TCP socket, registered with the loop's epoll.
package final class SocketTransport: Transport {
    package let fd: Int32
    package let peer: IPAddress
    private unowned var loop: EventLoop?

    package init(fd: Int32, peer: IPAddress) {
        self.fd = fd
        self.peer = peer
    }

    package func register(_ handler: LoopHandler, interest: Interest, on loop: EventLoop) throws(SystemError) {
        self.loop = loop
        try loop.register(fd, interest, handler)
    }

    package func setInterest(_ interest: Interest) throws(SystemError) {
        try loop?.modify(fd, interest)
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        Socket.read(fd, into: buffer)
    }

    package func write(_ vectors: UnsafeBufferPointer<iovec>) -> IOResult<Int> {
        Socket.write(fd, vectors)
    }

    package func shutdownWrite() {
        Socket.shutdownWrite(fd)
    }

    package func close() {
        loop?.unregister(fd)
        _ = Glibc.close(fd)
    }
}
