#if canImport(Glibc)
import Glibc
#endif
import CShims
import PaceAddress
import PaceLoop
import PaceSystem
import PaceTLS

/// A TLS transport wrapping another transport (a socket, or one that strips a PROXY header
/// first): the server side of a listener's connections, or the client side of the outbound
/// HTTP client's (whose engine speaks first: its ClientHello leaves at registration, waiting
/// for a non-blocking connect to finish like any other unsent ciphertext). The handshake runs inside it, driven by the inner transport's readiness,
/// before the connection sees anything; after that the connection reads plaintext and writes
/// plaintext as over any transport.
///
/// Readiness stays level-triggered: plaintext the engine still holds after a read that filled
/// the caller's buffer is re-reported at the end of the tick, since the socket no longer knows
/// about it.
///
/// Buffer ownership: `read` uses the caller's buffer first for ciphertext (the engine copies it
/// in) and then for plaintext. `write` encrypts a bounded prefix of the plaintext (the engine
/// copies it), and from then on the ciphertext belongs to the transport: it sits in the
/// engine's output BIO, then in the loop's shared scratch buffer for one inner write, and
/// whatever the inner transport does not take is copied into `unsent`. The transport flushes
/// that itself, with writable interest armed only while it holds some, and refuses further
/// plaintext (`.wouldBlock`) until it is gone. `close` gives the last records and close_notify
/// up to `closeFlushTimeoutMilliseconds` to leave, as a socket's send buffer would. An idle
/// connection holds no buffer: `unsent` is released when drained, the engine's BIOs and
/// record buffers likewise (SSL_MODE_RELEASE_BUFFERS).
package final class TLSTransport: Transport, LoopHandler, TickFlushable {
    enum Phase {
        case handshaking
        /// Plain HTTP arrived; a 400 went out, and input is read and dropped until the peer closes.
        case rejecting
        case established
        /// The connection ended; that error is what every later call returns.
        case failed(SystemError)
        /// Closed by the connection, still flushing ciphertext to the inner transport.
        case draining
        case closed
    }

    let inner: Transport
    package let engine: TLSEngine
    let environment: TLSTransportEnvironment
    private weak var handler: LoopHandler?
    private unowned var loop: EventLoop?
    private(set) var shared: TLSLoopState?
    /// Set only by this type and its extensions in the sibling files.
    var phase = Phase.handshaking
    /// What the connection asked for.
    private(set) var wanted: Interest = []
    /// What the inner transport was last told.
    var innerInterest: Interest = []
    /// Ciphertext the inner transport has not taken yet (from `unsentOffset` on).
    var unsent: [UInt8] = []
    var unsentOffset = 0
    private var timer: TimerID?
    private var holdsHandshakeSlot = false
    private var reportQueued = false
    /// The handshake failed on its merits (a certificate not trusted or not naming the host, no
    /// common version or cipher), not because the peer or the network went away.
    package internal(set) var refusedHandshake = false
    /// The last read stopped because the caller's buffer was full, not for want of input.
    var plaintextMayRemain = false
    /// `shutdownWrite` waits for `unsent` before shutting the inner transport down.
    private var shutdownPending = false
    /// Keeps the transport alive while it drains after `close`; nothing else refers to it then.
    private var drainingSelf: TLSTransport?

    /// Plaintext encrypted per `write`, so a large response becomes ciphertext only as fast as
    /// the inner transport takes it.
    static let plaintextPerWrite = 32 * 1024

    init(inner: Transport, engine: TLSEngine, environment: TLSTransportEnvironment) {
        self.inner = inner
        self.engine = engine
        self.environment = environment
    }

    package var peer: IPAddress { inner.peer }

    /// True while the transport holds ciphertext the inner transport has not taken.
    package var holdsCiphertext: Bool { unsentOffset < unsent.count || engine.pendingCiphertext > 0 }

    // MARK: Transport

    package func register(_ handler: LoopHandler, interest: Interest, on loop: EventLoop) throws(SystemError) {
        self.handler = handler
        self.loop = loop
        wanted = interest
        let shared = environment.state(for: loop)
        self.shared = shared
        guard shared.handshakes < environment.settings.maxHandshakesPerLoop else {
            environment.statistics.count(.refused)
            let refused = SystemError("TLS handshake limit", code: EAGAIN)
            phase = .failed(refused)
            throw refused
        }
        shared.handshakes += 1
        holdsHandshakeSlot = true
        timer = loop.schedule(after: environment.settings.handshakeTimeoutMilliseconds) { [weak self] in
            self?.handshakeTimedOut()
        }
        innerInterest = .readable
        try inner.register(self, interest: .readable, on: loop)
        if engine.isClient { try startClientHandshake() }
    }

    package func setInterest(_ interest: Interest) throws(SystemError) {
        wanted = interest
        try updateInnerInterest()
        if interest.contains(.readable) && (plaintextMayRemain || isFailed) { queueReport() }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        switch phase {
        case .established: return readPlaintext(into: buffer)
        case .failed(let error): return .failed(error)
        case .handshaking, .rejecting: return .wouldBlock
        case .draining, .closed: return .done(0)
        }
    }

    package func write(_ vectors: UnsafeBufferPointer<iovec>) -> IOResult<Int> {
        switch phase {
        case .established: break
        case .failed(let error): return .failed(error)
        case .handshaking, .rejecting: return .wouldBlock
        case .draining, .closed: return .failed(SystemError("TLS write", code: EPIPE))
        }
        if shutdownPending { return .failed(SystemError("TLS write", code: EPIPE)) }
        switch flushCiphertext() {
        case .done: break
        case .wouldBlock:
            armForCiphertext()
            return .wouldBlock
        case .failed(let error):
            return .failed(fail(error))
        }
        let consumed: Int
        do throws(TLSError) {
            consumed = try encrypt(vectors)
        } catch {
            return .failed(fail(SystemError("TLS write", code: EPROTO)))
        }
        if case .failed(let error) = flushCiphertext() { return .failed(fail(error)) }
        armForCiphertext()
        return .done(consumed)
    }

    /// Encrypts a prefix of `vectors` (at most `plaintextPerWrite` bytes) and returns its
    /// length. Several vectors are gathered into the loop's buffer first and encrypted with one
    /// call, so they share records; a single vector is encrypted where it lies.
    private func encrypt(_ vectors: UnsafeBufferPointer<iovec>) throws(TLSError) -> Int {
        if vectors.count == 1, let base = vectors[0].iov_base {
            let count = min(Self.plaintextPerWrite, vectors[0].iov_len)
            try engine.encrypt(UnsafeRawBufferPointer(start: base, count: count))
            return count
        }
        guard let gathered = shared?.gathered else { return 0 }
        var filled = 0
        for vector in vectors where filled < gathered.count {
            let count = min(gathered.count - filled, vector.iov_len)
            // Stop at a gap rather than skip it: what is taken must be a prefix of the vectors.
            guard let base = vector.iov_base, count > 0 else { break }
            UnsafeMutableRawBufferPointer(rebasing: gathered[filled..<(filled + count)])
                .copyMemory(from: UnsafeRawBufferPointer(start: base, count: count))
            filled += count
        }
        try engine.encrypt(UnsafeRawBufferPointer(rebasing: gathered[0..<filled]))
        return filled
    }

    package func shutdownWrite() {
        guard case .established = phase else {
            inner.shutdownWrite()
            return
        }
        engine.close()
        switch flushCiphertext() {
        case .wouldBlock:
            shutdownPending = true
            armForCiphertext()
        case .done, .failed:
            inner.shutdownWrite()
        }
    }

    package func close() {
        releaseHandshakeSlot()
        handler = nil
        switch phase {
        case .draining, .closed: return
        case .established:
            engine.close()
            if case .wouldBlock = flushCiphertext(), startDraining() { return }
        case .handshaking, .rejecting, .failed: break
        }
        phase = .closed
        inner.close()
    }

    // MARK: Readiness from the inner transport

    package func handleEvents(_ events: UInt32) {
        switch phase {
        case .handshaking:
            if events & EPOLLOUT.rawValue != 0 { flushHandshake() }
            if events & Self.readableBits != 0, case .handshaking = phase { advanceHandshake() }
        case .rejecting: if events & Self.readableBits != 0 { discardRejected() }
        case .established: forward(events)
        case .failed: reportFailure()
        case .draining: drain(events)
        case .closed: return
        }
    }

    /// Re-reports plaintext left in the engine, or a failure the connection has not read.
    package func flushAtEndOfTick() {
        reportQueued = false
        switch phase {
        case .established where plaintextMayRemain && wanted.contains(.readable):
            handler?.handleEvents(EPOLLIN.rawValue)
        case .failed: reportFailure()
        default: break
        }
    }

    static let readableBits = EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue

    private func forward(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 && holdsCiphertext {
            if case .failed(let error) = flushCiphertext() {
                fail(error)
                reportFailure()
                return
            }
            if shutdownPending && !holdsCiphertext {
                shutdownPending = false
                inner.shutdownWrite()
            }
            armForCiphertext()
        }
        var forwarded = events & (EPOLLHUP.rawValue | EPOLLERR.rawValue)
        if events & EPOLLIN.rawValue != 0 && wanted.contains(.readable) { forwarded |= EPOLLIN.rawValue }
        if events & EPOLLOUT.rawValue != 0 && wanted.contains(.writable) && !holdsCiphertext {
            forwarded |= EPOLLOUT.rawValue
        }
        if forwarded != 0 { handler?.handleEvents(forwarded) }
    }

    // MARK: Reading plaintext

    /// Decrypts what the engine holds; when that is nothing, reads the inner transport once
    /// into `buffer`, feeds it to the engine and decrypts again into the same buffer.
    private func readPlaintext(into buffer: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        plaintextMayRemain = false
        var readInner = false
        while true {
            var filled = 0
            // Without buffered input a decrypt could only ask for more: go to the inner transport.
            while filled < buffer.count && (readInner || engine.hasBufferedInput) {
                let count: Int?
                do throws(TLSError) {
                    count = try engine.decrypt(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                } catch {
                    _ = flushCiphertext()
                    return .failed(fail(SystemError("TLS read", code: EPROTO)))
                }
                // The peer's close_notify: what came before it first, then end of stream.
                guard let count else { return .done(filled) }
                if count == 0 { break }
                filled += count
            }
            // Post-handshake messages (a TLS 1.3 key update) may have queued a reply.
            if engine.pendingCiphertext > 0, case .failed(let error) = flushCiphertext() {
                return .failed(fail(error))
            }
            if filled == buffer.count {
                plaintextMayRemain = true
                queueReport()
            }
            if filled > 0 { return .done(filled) }
            if readInner { return .wouldBlock }
            readInner = true
            switch inner.read(into: buffer) {
            case .done(0): return endOfInput()
            case .done(let count):
                do throws(TLSError) {
                    try engine.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                } catch {
                    return .failed(fail(SystemError("TLS read", code: EPROTO)))
                }
            case .wouldBlock: return .wouldBlock
            case .failed(let error): return .failed(fail(error))
            }
        }
    }

    /// HTTP and WebSocket frame their own messages, so a stream that ends without close_notify
    /// after the handshake is an ordinary end of stream; every byte before it was authentic.
    private func endOfInput() -> IOResult<Int> {
        do throws(TLSError) {
            try engine.endOfInput()
        } catch {
            guard error == .unexpectedEOF else { return .failed(fail(SystemError("TLS read", code: ECONNRESET))) }
        }
        return .done(0)
    }

    /// Tells the connection about plaintext the engine holds, now.
    func reportPlaintext() {
        plaintextMayRemain = true
        if wanted.contains(.readable) { handler?.handleEvents(EPOLLIN.rawValue) }
    }

    // MARK: Ending

    package var isEstablished: Bool {
        if case .established = phase { return true }
        return false
    }

    private var isFailed: Bool {
        if case .failed = phase { return true }
        return false
    }

    /// Ends the connection with `error`: later calls return it. Returns it for chaining.
    @discardableResult
    func fail(_ error: SystemError) -> SystemError {
        releaseHandshakeSlot()
        phase = .failed(error)
        return error
    }

    /// Tells the connection, which learns of the failure from its next read.
    func reportFailure() {
        handler?.handleEvents(EPOLLIN.rawValue | EPOLLERR.rawValue)
    }

    func releaseHandshakeSlot() {
        if let timer {
            loop?.cancel(timer)
            self.timer = nil
        }
        guard holdsHandshakeSlot else { return }
        holdsHandshakeSlot = false
        shared?.handshakes -= 1
    }

    func queueReport() {
        guard !reportQueued, let loop else { return }
        reportQueued = true
        loop.flushAtEndOfTick(self)
    }

    private func startDraining() -> Bool {
        guard let loop else { return false }
        phase = .draining
        do throws(SystemError) {
            try updateInnerInterest()
        } catch {
            return false
        }
        drainingSelf = self
        timer = loop.schedule(after: environment.settings.closeFlushTimeoutMilliseconds) { [weak self] in
            self?.finishDraining()
        }
        return true
    }

    private func drain(_ events: UInt32) {
        if events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) == 0, case .wouldBlock = flushCiphertext() { return }
        finishDraining()
    }

    private func finishDraining() {
        guard case .draining = phase else { return }
        if let timer { loop?.cancel(timer) }
        timer = nil
        phase = .closed
        unsent = []
        inner.close()
        drainingSelf = nil
    }
}
