#if canImport(Glibc)
import Glibc
#endif
import PaceSystem

/// Bytes waiting to be written to one socket, in order: runs of bytes the connection owns
/// (responses, acks) interleaved with shared fan-out buffers. One gathered send (`sendmsg`
/// with an iovec per segment) writes as much of the whole queue as the kernel takes.
///
/// Ownership: owned bytes are copied in by `append` and belong to the queue; a shared buffer is
/// retained by its segment until the last of its bytes has been accepted by the kernel.
struct OutboundQueue {
    private enum Segment {
        case owned(Int)
        case shared(SharedBytes)
    }

    private var owned: [UInt8] = []
    private var ownedSent = 0
    private var segments: [Segment] = []
    private var segmentHead = 0
    private var headSent = 0
    /// Bytes queued and not yet accepted by the kernel.
    private(set) var count = 0
    /// Owned-buffer capacity kept once everything is written: enough for the next response
    /// on a keep-alive connection, zero for sockets that idle (WebSockets hold nothing).
    var retainedCapacity = 16 * 1024

    var isEmpty: Bool { count == 0 }
    /// Segments the list has room for: what a drained queue still holds (tests check it).
    var segmentCapacity: Int { segments.capacity }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        owned.append(contentsOf: bytes)
        extendOwned(bytes.count)
    }

    /// Lets `body` append directly to the owned buffer (an encoder writing in place).
    mutating func appendOwned(_ body: (inout [UInt8]) -> Void) {
        let before = owned.count
        body(&owned)
        extendOwned(owned.count - before)
    }

    mutating func append(_ shared: SharedBytes) {
        guard shared.count > 0 else { return }
        segments.append(.shared(shared))
        count += shared.count
    }

    /// Writes as much as the transport takes. `.done(true)` when the queue is now empty.
    mutating func write(to transport: Transport, using vectors: UnsafeMutableBufferPointer<iovec>) -> IOResult<Bool> {
        guard count > 0 else { return .done(true) }
        let result: IOResult<Int> = owned.withUnsafeBytes { ownedBytes in
            let used = fill(vectors, ownedBytes)
            return transport.write(UnsafeBufferPointer(rebasing: vectors[0..<used]))
        }
        switch result {
        case .done(let written):
            consume(written)
            return .done(count == 0)
        case .wouldBlock: return .wouldBlock
        case .failed(let error): return .failed(error)
        }
    }

    /// Keeps only the segment being written (it may hold several complete frames, never part
    /// of one) and drops everything queued behind it, for a peer too far behind to catch up.
    mutating func dropBacklog() {
        guard segmentHead < segments.count else { return }
        let keep = segments[segmentHead]
        let remaining = length(of: keep) - headSent
        let keptOwned: [UInt8]
        if case .owned(let length) = keep {
            keptOwned = Array(owned[ownedSent..<(ownedSent + length - headSent)])
        } else {
            keptOwned = []
        }
        let shared: SharedBytes? = if case .shared(let bytes) = keep { bytes } else { nil }
        let sent = headSent
        let retained = retainedCapacity
        self = OutboundQueue()
        retainedCapacity = retained
        if let shared {
            segments = [.shared(shared)]
            headSent = sent
            count = remaining
        } else {
            keptOwned.withUnsafeBytes { append($0) }
        }
    }

    /// Drops everything (the socket is gone) and returns the memory.
    mutating func discard() {
        let retained = retainedCapacity
        self = OutboundQueue()
        retainedCapacity = retained
    }

    private mutating func extendOwned(_ added: Int) {
        guard added > 0 else { return }
        count += added
        if segments.count > segmentHead, case .owned(let length) = segments[segments.count - 1] {
            segments[segments.count - 1] = .owned(length + added)
        } else {
            segments.append(.owned(added))
        }
    }

    private func fill(_ vectors: UnsafeMutableBufferPointer<iovec>, _ ownedBytes: UnsafeRawBufferPointer) -> Int {
        var used = 0
        var ownedOffset = ownedSent
        var index = segmentHead
        var skip = headSent
        while index < segments.count && used < vectors.count {
            switch segments[index] {
            case .owned(let length):
                // `ownedSent` already counts the sent part of a partly written head segment.
                let base = ownedBytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0 + ownedOffset) }
                vectors[used] = iovec(iov_base: base, iov_len: length - skip)
                ownedOffset += length - skip
            case .shared(let shared):
                let base = shared.bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0 + skip) }
                vectors[used] = iovec(iov_base: base, iov_len: shared.count - skip)
            }
            used += 1
            index += 1
            skip = 0
        }
        return used
    }

    private mutating func consume(_ written: Int) {
        var left = written
        count -= written
        while left > 0 && segmentHead < segments.count {
            let remaining = length(of: segments[segmentHead]) - headSent
            let take = min(left, remaining)
            if case .owned = segments[segmentHead] { ownedSent += take }
            left -= take
            if take == remaining {
                segments[segmentHead] = .owned(0)
                segmentHead += 1
                headSent = 0
            } else {
                headSent += take
            }
        }
        if count == 0 { reset() } else { compact() }
    }

    /// A queue that never quite empties (a reader that keeps up but stays a little behind)
    /// would otherwise keep every byte and segment ever sent on it.
    private mutating func compact() {
        if segmentHead >= 64 && segmentHead * 2 >= segments.count {
            segments.removeFirst(segmentHead)
            segmentHead = 0
        }
        if ownedSent >= 64 * 1024 && ownedSent * 2 >= owned.count {
            owned.removeFirst(ownedSent)
            ownedSent = 0
        }
    }

    private func length(of segment: Segment) -> Int {
        switch segment {
        case .owned(let length): return length
        case .shared(let shared): return shared.count
        }
    }

    /// Keeps small buffers for the next response (the keep-alive fast path allocates nothing)
    /// but gives large ones back, so an idle connection holds little memory.
    private mutating func reset() {
        if owned.capacity > retainedCapacity { owned = [] } else { owned.removeAll(keepingCapacity: true) }
        // A short segment list stays: fan-out appends one per delivery, and reallocating it for
        // every message would be an allocation per recipient. A longer one (a burst queued
        // while the peer was behind) goes, or every idle socket would keep its worst moment:
        // 16 bytes a segment, about 300 bytes per connection after a presence storm.
        if segments.capacity > 8 { segments = [] } else { segments.removeAll(keepingCapacity: true) }
        ownedSent = 0
        segmentHead = 0
        headSent = 0
    }
}
