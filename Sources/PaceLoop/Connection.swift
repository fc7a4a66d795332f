import CShims
import PaceAddress
import PaceSystem

/// The protocol spoken on a connection (HTTP/1.1, then perhaps WebSocket). All calls arrive
/// on the connection's loop thread.
package protocol ConnectionDelegate: AnyObject {
    /// Offers every unconsumed inbound byte; returns how many were consumed. The rest is
    /// kept and offered again, with more, on the next read. Valid only during the call.
    func connection(_ connection: Connection, received bytes: UnsafeRawBufferPointer) -> Int
    /// The peer will send nothing more.
    func connectionReadClosed(_ connection: Connection)
    /// The deadline set in `Connection.deadline` has passed.
    func connectionDeadlinePassed(_ connection: Connection)
    /// The server is shutting down: finish what is in flight, then close.
    func connectionShutdownRequested(_ connection: Connection)
    /// The socket is closed; called once.
    func connectionClosed(_ connection: Connection)
}

/// Why a connection was closed, for logs and metrics.
package enum CloseReason: Sendable {
    case normal
    case peerClosed
    case protocolError
    case timeout
    case outboundLimit
    case inboundLimit
    case ioError(SystemError)
    case shutdown
}

/// One accepted connection over a `Transport`: reads dispatched to a delegate, an ordered
/// write queue flushed with one gathered write per loop tick, and write readiness asked for
/// only while the transport is full. Confined to its loop's thread.
package final class Connection: LoopHandler, TickFlushable {
    package let transport: Transport
    /// The transport's peer, read each time: a PROXY protocol transport replaces the TCP
    /// peer with the proxied client once its header has arrived.
    package var peer: IPAddress { transport.peer }
    package unowned let loop: EventLoop
    package var delegate: ConnectionDelegate?
    /// Monotonic milliseconds after which the delegate is told; 0 for none.
    package var deadline: Int64 = 0
    /// Bytes queued for writing beyond which the peer is considered gone and dropped.
    package var outboundLimit: Int
    package private(set) var isClosed = false
    /// Called after each write that left room (whether or not the queue emptied); producers
    /// that pull data as the socket drains check `queuedBytes` against their low-water mark.
    package var onDrained: (() -> Void)?
    package private(set) var closeReason: CloseReason = .normal

    private var inbound: [UInt8] = []
    private var outbound = OutboundQueue()
    private var flushQueued = false
    private var waitingForWritable = false
    private var readingPaused = false
    private var closeWhenFlushed = false
    private var lingerWhenFlushed = false
    /// Our side is shut down; the peer's remaining bytes are read and dropped until it closes.
    private var lingering = false
    /// Position in the loop's `ConnectionRegistry`, for O(1) removal.
    var registryIndex = -1
    /// Unconsumed inbound bytes beyond which the peer is dropped.
    package var inboundLimit: Int

    package init(transport: Transport, loop: EventLoop, outboundLimit: Int, inboundLimit: Int) {
        self.transport = transport
        self.loop = loop
        self.outboundLimit = outboundLimit
        self.inboundLimit = inboundLimit
    }

    /// Registers with the loop, reading from now on; on failure the connection is closed.
    package func start() throws(SystemError) {
        do {
            try transport.register(self, interest: .readable, on: loop)
        } catch {
            close(.ioError(error))
            throw error
        }
    }

    /// Bytes queued and not yet taken by the kernel.
    package var queuedBytes: Int { outbound.count }

    // MARK: Writing

    package func send(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed else { return }
        outbound.append(bytes)
        queued()
    }

    /// Appends in place: `body` writes straight into the queue's owned buffer.
    package func send(encoding body: (inout [UInt8]) -> Void) {
        guard !isClosed else { return }
        outbound.appendOwned(body)
        queued()
    }

    package func send(_ shared: SharedBytes) {
        guard !isClosed else { return }
        outbound.append(shared)
        queued()
    }

    /// Output buffer capacity kept between writes (see `OutboundQueue.retainedCapacity`).
    package var retainedOutboundCapacity: Int {
        get { outbound.retainedCapacity }
        set { outbound.retainedCapacity = newValue }
    }

    /// Drops queued output except the part already being written (see `OutboundQueue`).
    package func dropBacklog() {
        outbound.dropBacklog()
    }

    /// Closes once everything queued so far has been written. With `linger`, the write side
    /// is shut down first and the peer's further bytes are read and dropped until it closes
    /// (or the deadline passes): closing a socket with unread input makes the kernel send a
    /// reset, which can destroy the error response the peer has not read yet.
    package func closeAfterFlush(linger: Bool = false) {
        guard !isClosed else { return }
        closeWhenFlushed = true
        lingerWhenFlushed = linger
        if outbound.isEmpty { finishFlushedClose() } else { scheduleFlush() }
    }

    private func finishFlushedClose() {
        guard lingerWhenFlushed else {
            close(.normal)
            return
        }
        lingering = true
        transport.shutdownWrite()
        readingPaused = false
        updateInterest()
    }

    private func discardInput() {
        switch transport.read(into: loop.receiveBuffer) {
        case .done(0), .failed: close(.normal)
        case .done, .wouldBlock: break
        }
    }

    private func queued() {
        if outbound.count > outboundLimit {
            close(.outboundLimit)
            return
        }
        scheduleFlush()
    }

    private func scheduleFlush() {
        guard !flushQueued && !waitingForWritable else { return }
        flushQueued = true
        loop.flushAtEndOfTick(self)
    }

    package func flushAtEndOfTick() {
        flushQueued = false
        guard !isClosed && !waitingForWritable else { return }
        flush()
    }

    private func flush() {
        switch outbound.write(to: transport, using: loop.writeVectors) {
        case .done(true):
            if waitingForWritable {
                waitingForWritable = false
                updateInterest()
            }
            if closeWhenFlushed { finishFlushedClose() } else { onDrained?() }
        case .done(false), .wouldBlock:
            if !waitingForWritable {
                waitingForWritable = true
                updateInterest()
            }
            // A producer refills below its own low-water mark, not only once everything left.
            if !closeWhenFlushed { onDrained?() }
        case .failed(let error):
            close(.ioError(error))
        }
    }

    // MARK: Reading

    /// Stops reading (TCP pushes back on the peer) until `resumeReading`.
    package func pauseReading() {
        guard !readingPaused && !isClosed else { return }
        readingPaused = true
        updateInterest()
    }

    /// Resumes reading and first re-offers the bytes already buffered.
    package func resumeReading() {
        guard readingPaused && !isClosed else { return }
        readingPaused = false
        updateInterest()
        if !inbound.isEmpty { offerBuffered() }
    }

    package func handleEvents(_ events: UInt32) {
        // `flush` itself drops the EPOLLOUT interest once the queue is empty; clearing the flag
        // here first would leave it armed, and a level-triggered loop would spin on it.
        if events & EPOLLOUT.rawValue != 0 && waitingForWritable { flush() }
        guard !isClosed else { return }
        let hangup = EPOLLHUP.rawValue | EPOLLERR.rawValue
        // epoll reports hang-ups even without interest: once reading has stopped, the only
        // way not to spin on them is to let go of the socket.
        if events & hangup != 0 && readingPaused {
            close(.peerClosed)
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 && !readingPaused {
            if lingering { discardInput() } else { readOnce() }
        }
    }

    private func readOnce() {
        let buffer = loop.receiveBuffer
        switch transport.read(into: buffer) {
        case .done(0):
            readClosed()
        case .done(let count):
            let fresh = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if inbound.isEmpty {
                offerFresh(fresh)
            } else {
                inbound.append(contentsOf: fresh)
                offerBuffered()
            }
        case .wouldBlock:
            return
        case .failed(let error):
            close(.ioError(error))
        }
    }

    private func offerFresh(_ fresh: UnsafeRawBufferPointer) {
        guard let delegate else { return }
        let consumed = delegate.connection(self, received: fresh)
        // Input left over when the delegate decided to close is never going to be read.
        guard !isClosed && !closeWhenFlushed && consumed < fresh.count else { return }
        keep(UnsafeRawBufferPointer(rebasing: fresh[consumed...]))
        offerToNewDelegate(after: delegate)
    }

    private func offerBuffered() {
        guard let delegate else { return }
        let consumed = inbound.withUnsafeBytes { delegate.connection(self, received: $0) }
        guard !isClosed else { return }
        if closeWhenFlushed {
            inbound = []
            return
        }
        if consumed >= inbound.count {
            // Keeps the buffer: frames that straddle reads would otherwise allocate per read.
            inbound.removeAll(keepingCapacity: true)
        } else if consumed > 0 {
            inbound.removeFirst(consumed)
        }
        if inbound.count > inboundLimit {
            close(.inboundLimit)
            return
        }
        offerToNewDelegate(after: delegate)
    }

    /// A protocol switch (an HTTP upgrade) during a read leaves bytes meant for the new
    /// protocol in the buffer; they are offered to it at once, not on the next read.
    private func offerToNewDelegate(after previous: ConnectionDelegate) {
        guard !inbound.isEmpty, !readingPaused, let current = delegate, current !== previous else { return }
        offerBuffered()
    }

    private func keep(_ rest: UnsafeRawBufferPointer) {
        guard rest.count <= inboundLimit else {
            close(.inboundLimit)
            return
        }
        inbound.append(contentsOf: rest)
    }

    private func readClosed() {
        readingPaused = true
        updateInterest()
        if let delegate { delegate.connectionReadClosed(self) } else { close(.peerClosed) }
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var interest: Interest = []
        if !readingPaused { interest.insert(.readable) }
        if waitingForWritable { interest.insert(.writable) }
        do throws(SystemError) {
            try transport.setInterest(interest)
        } catch {
            close(.ioError(error))
        }
    }

    // MARK: Closing

    /// Closes the transport now, dropping anything unsent.
    package func close(_ reason: CloseReason) {
        guard !isClosed else { return }
        isClosed = true
        closeReason = reason
        transport.close()
        outbound.discard()
        inbound = []
        onDrained = nil
        delegate?.connectionClosed(self)
        delegate = nil
    }
}
