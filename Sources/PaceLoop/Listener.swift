#if canImport(Glibc)
import Glibc
#endif
import PaceSystem

/// A listening socket on one loop. Each loop has its own (SO_REUSEPORT), so the kernel spreads
/// new connections and no accept hand-off between threads is needed.
package final class Listener: LoopHandler {
    private let fd: Int32
    private unowned let loop: EventLoop
    private let accepted: (Socket.Accepted) -> Void
    private var spare = SpareDescriptor()
    private var isClosed = false

    /// `accepted` receives each new non-blocking socket on the loop thread.
    package init(fd: Int32, loop: EventLoop, accepted: @escaping (Socket.Accepted) -> Void) throws(SystemError) {
        self.fd = fd
        self.loop = loop
        self.accepted = accepted
        try loop.register(fd, .readable, self)
    }

    package func handleEvents(_ events: UInt32) {
        // Bounded, so a connect storm cannot starve the sockets already open on this loop.
        for _ in 0..<64 {
            guard !isClosed else { return }
            switch Socket.accept(fd) {
            case .done(let socket): accepted(socket)
            case .wouldBlock: return
            case .failed(let error) where error.isDescriptorExhaustion:
                shedOne()
                return
            case .failed:
                return
            }
        }
    }

    /// Out of descriptors: take the oldest waiting connection with the spare descriptor and
    /// close it, so the level-triggered listener stops firing and that client sees a reset
    /// rather than a hang.
    private func shedOne() {
        spare.whileReleased {
            if case .done(let socket) = Socket.accept(fd) { Glibc.close(socket.fd) }
        }
    }

    /// Stops accepting; connections already accepted are unaffected.
    package func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.unregister(fd)
        Glibc.close(fd)
    }
}
