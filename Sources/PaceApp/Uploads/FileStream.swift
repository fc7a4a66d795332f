#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceServer
import Synchronization

/// A download body: `length` bytes of an open file from `offset`, read with `pread` on the
/// blocking pool in chunks of at most `chunkSize`, one at a time as the socket drains.
/// `close` may come from the loop while a read is in flight; the descriptor is then closed by
/// that read, never under it.
final class FileStream: ResponseStream {
    static let chunkSize = 64 * 1024

    private struct State {
        var fd: Int32
        var offset: Int64
        var remaining: Int64
        var reading = false
        var closed = false

        /// The descriptor to close now that the stream is closed and no read uses it.
        mutating func takeDescriptorIfIdle() -> Int32? {
            guard closed, !reading, fd >= 0 else { return nil }
            defer { fd = -1 }
            return fd
        }
    }

    private let state: Mutex<State>
    private let pool: BlockingPool

    init(fd: Int32, offset: Int64, length: Int64, pool: BlockingPool) {
        state = Mutex(State(fd: fd, offset: offset, remaining: length))
        self.pool = pool
    }

    func read(_ deliver: @escaping @Sendable ([UInt8]?) -> Void) {
        pool.submit { [self] in
            let job = state.withLock { state -> (fd: Int32, offset: Int64, count: Int)? in
                guard !state.closed, state.remaining > 0 else { return nil }
                state.reading = true
                return (state.fd, state.offset, Int(min(Int64(Self.chunkSize), state.remaining)))
            }
            guard let job else { return deliver(nil) }
            let chunk = FileOps.read(job.fd, count: job.count, at: job.offset)
            let idle = state.withLock { state -> Int32? in
                state.reading = false
                state.offset += Int64(job.count)
                state.remaining -= Int64(job.count)
                return state.takeDescriptorIfIdle()
            }
            if let idle { Glibc.close(idle) }
            deliver(chunk)
        }
    }

    func close() {
        let idle = state.withLock { state -> Int32? in
            state.closed = true
            return state.takeDescriptorIfIdle()
        }
        if let idle { Glibc.close(idle) }
    }
}
