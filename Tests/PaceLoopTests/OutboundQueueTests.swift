#if canImport(Glibc)
import Glibc
#endif
import PaceAddress
@testable import PaceLoop
import Testing

@Suite struct OutboundQueueTests {
    /// A socket pair whose sending side has a small buffer, so writes come up short.
    private func pair() -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds)
        var size: Int32 = 4096
        setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return (fds[0], fds[1])
    }

    private func drain(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return out }
            out.append(contentsOf: chunk[0..<count])
        }
    }

    @Test func interleavedOwnedAndSharedBytesArriveInOrderAcrossShortWrites() {
        let (writer, reader) = pair()
        defer { close(writer); close(reader) }
        let vectors = UnsafeMutableBufferPointer<iovec>.allocate(capacity: 8)
        defer { vectors.deallocate() }
        var queue = OutboundQueue()
        var expected: [UInt8] = []
        for round in 0..<40 {
            let owned = [UInt8](repeating: UInt8(round), count: 1000 + round)
            owned.withUnsafeBytes { queue.append($0) }
            let shared = SharedBytes([UInt8](repeating: UInt8(200 &+ round), count: 3000))
            queue.append(shared)
            expected += owned + Array(shared.bytes)
        }
        #expect(queue.count == expected.count)
        var received: [UInt8] = []
        var spins = 0
        while !queue.isEmpty && spins < 10_000 {
            _ = queue.write(to: SocketTransport(fd: writer, peer: .unspecified), using: vectors)
            received += drain(reader)
            spins += 1
        }
        received += drain(reader)
        #expect(queue.isEmpty)
        #expect(received.count == expected.count)
        let firstDifference = zip(received, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil)
    }

    @Test func aClosedPeerIsAnErrorNotACrash() {
        let (writer, reader) = pair()
        close(reader)
        defer { close(writer) }
        let vectors = UnsafeMutableBufferPointer<iovec>.allocate(capacity: 8)
        defer { vectors.deallocate() }
        var queue = OutboundQueue()
        [UInt8](repeating: 1, count: 10).withUnsafeBytes { queue.append($0) }
        signal(SIGPIPE, SIG_IGN)
        if case .failed = queue.write(to: SocketTransport(fd: writer, peer: .unspecified), using: vectors) {} else {
            Issue.record("expected a write error")
        }
    }

    /// A socket that once fell behind must not keep that burst's segment list while it idles;
    /// one that takes a frame or two per tick keeps its short list, so fan-out does not
    /// allocate per recipient.
    @Test func aDrainedQueueGivesBackALongSegmentListAndKeepsAShortOne() {
        let (writer, reader) = pair()
        defer { close(writer); close(reader) }
        let vectors = UnsafeMutableBufferPointer<iovec>.allocate(capacity: 64)
        defer { vectors.deallocate() }
        func drained(after frames: Int) -> Int {
            var queue = OutboundQueue()
            for _ in 0..<frames { queue.append(SharedBytes([UInt8](repeating: 7, count: 40))) }
            var spins = 0
            while !queue.isEmpty && spins < 1000 {
                _ = queue.write(to: SocketTransport(fd: writer, peer: .unspecified), using: vectors)
                _ = drain(reader)
                spins += 1
            }
            #expect(queue.isEmpty)
            return queue.segmentCapacity
        }
        #expect(drained(after: 40) == 0)
        #expect(drained(after: 2) >= 2)
    }
}
