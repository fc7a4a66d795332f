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
    /// Out of descriptors with no spare: accepting is off until `pauseMilliseconds` pass.
    private var isPaused = false
    static let pauseMilliseconds: Int64 = 100

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
                if !shedOne() { pause() }
                return
            case .failed:
                return
            }
        }
    }

    /// Out of descriptors: take the oldest waiting connection with the spare descriptor and
    /// close it, so the level-triggered listener stops firing and that client sees a reset
    /// rather than a hang.
    private func shedOne() -> Bool {
        spare.whileReleased {
            if case .done(let socket) = Socket.accept(fd) { Glibc.close(socket.fd) }
        }
    }

    /// The spare is gone (another thread took the slot it freed): a level-triggered listener
    /// that cannot accept would fire again at once and spin the loop, so it stops listening
    /// for a moment and tries again, as nginx does on EMFILE.
    private func pause() {
        guard !isPaused else { return }
        do throws(SystemError) {
            try loop.modify(fd, [])
        } catch {
            return
        }
        isPaused = true
        _ = loop.schedule(after: Self.pauseMilliseconds) { [weak self] in self?.resume() }
    }

    private func resume() {
        guard isPaused, !isClosed else { return }
        isPaused = false
        do throws(SystemError) {
            try loop.modify(fd, .readable)
        } catch {
            return
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
