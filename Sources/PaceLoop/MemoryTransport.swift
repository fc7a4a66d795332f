#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
import PaceSystem
import Synchronization

/// A transport with no socket behind it (the idea of SwiftNIO's `EmbeddedChannel`): the peer
/// side feeds bytes in and takes written bytes out, from any thread, and readiness reaches
/// the connection as loop tasks, so a loop stepped with `runOnce` or run on its own thread
/// serves it exactly as it serves a socket. `window` bounds the bytes written and not yet
/// taken by the peer, to play a client that reads slowly.
///
/// `@unchecked Sendable`: everything the peer side touches is behind `state`'s mutex; the
/// handler and loop are set at registration and used only in tasks on that loop's thread.
package final class MemoryTransport: Transport, @unchecked Sendable {
    private struct State {
        var input: [UInt8] = []
        var inputEnded = false
        var output: [UInt8] = []
        var outputEnded = false
        var peerGone = false
        var interest: Interest = []
        var closed = false
        /// A readiness task is queued on the loop; at most one at a time.
        var notifying = false
        /// Set at registration; nothing is reported before.
        var loop: EventLoop?
    }

    package let peer: IPAddress
    private let window: Int
    private let state = Mutex(State())
    private weak var handler: LoopHandler?

    package init(peer: IPAddress = IPAddress(ipv4: 0x7F00_0001), window: Int = .max) {
        self.peer = peer
        self.window = window
    }

    // MARK: The peer's side

    /// Bytes as if they had arrived from the network.
    package func feed(_ bytes: [UInt8]) {
        state.withLock { $0.input.append(contentsOf: bytes) }
        notify()
    }

    package func feed(_ text: String) { feed(Array(text.utf8)) }

    /// The peer will send nothing more (it shut down its write side).
    package func endInput() {
        state.withLock { $0.inputEnded = true }
        notify()
    }

    /// The peer is gone: it sends nothing more and takes nothing more (writes fail).
    package func disconnect() {
        state.withLock {
            $0.inputEnded = true
            $0.peerGone = true
        }
        notify()
    }

    /// Everything written so far and not yet taken.
    package func takeOutput() -> [UInt8] {
        let taken = state.withLock { current -> [UInt8] in
            defer { current.output = [] }
            return current.output
        }
        notify()
        return taken
    }

    /// Fed bytes the connection has not read yet.
    package var unreadInput: Int { state.withLock { $0.input.count } }

    /// Written bytes so far, without taking them.
    package var pendingOutput: [UInt8] { state.withLock { $0.output } }

    /// Our side shut down writing or closed: the peer has read end of stream.
    package var outputEnded: Bool { state.withLock { $0.outputEnded } }

    /// The connection released the transport.
    package var isClosed: Bool { state.withLock { $0.closed } }

    // MARK: Transport

    package func register(_ handler: LoopHandler, interest: Interest, on loop: EventLoop) throws(SystemError) {
        self.handler = handler
        state.withLock { $0.loop = loop }
        setInterest(interest)
    }

    package func setInterest(_ interest: Interest) {
        state.withLock { $0.interest = interest }
        notify()
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        let result = state.withLock { current -> IOResult<Int> in
            if current.input.isEmpty { return current.inputEnded ? .done(0) : .wouldBlock }
            let count = min(buffer.count, current.input.count)
            current.input.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress!, byteCount: count) }
            current.input.removeFirst(count)
            return .done(count)
        }
        notify()
        return result
    }

    package func write(_ vectors: UnsafeBufferPointer<iovec>) -> IOResult<Int> {
        state.withLock { current -> IOResult<Int> in
            if current.outputEnded || current.peerGone { return .failed(SystemError("sendmsg", code: EPIPE)) }
            var room = window - current.output.count
            guard room > 0 else { return .wouldBlock }
            var written = 0
            for vector in vectors where room > 0 {
                let count = min(room, vector.iov_len)
                if let base = vector.iov_base {
                    current.output.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count))
                }
                written += count
                room -= count
            }
            return .done(written)
        }
    }

    package func shutdownWrite() {
        state.withLock { $0.outputEnded = true }
    }

    package func close() {
        state.withLock {
            $0.outputEnded = true
            $0.closed = true
            $0.interest = []
        }
        handler = nil
    }

    // MARK: Readiness

    /// Level-triggered, like epoll: while the connection wants what is available, it hears
    /// about it again after each step. One task in flight at a time.
    private func notify() {
        let loop = state.withLock { current -> EventLoop? in
            guard !current.notifying, !current.closed, events(current) != 0, let loop = current.loop else { return nil }
            current.notifying = true
            return loop
        }
        loop?.execute { [self] in deliver() }
    }

    private func deliver() {
        let events = state.withLock { current -> UInt32 in
            current.notifying = false
            return current.closed ? 0 : self.events(current)
        }
        guard events != 0, let handler else { return }
        handler.handleEvents(events)
    }

    private func events(_ state: State) -> UInt32 {
        var events: UInt32 = 0
        if state.interest.contains(.readable) && (!state.input.isEmpty || state.inputEnded) {
            events |= Interest.readable.rawValue
        }
        if state.interest.contains(.writable) && (state.output.count < window || state.peerGone) && !state.outputEnded {
            events |= Interest.writable.rawValue
        }
        return events
    }
}
