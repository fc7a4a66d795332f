import PaceLoop
import PaceServer
import PaceSystem
import Synchronization

/// A download body: `length` bytes of an open file from `offset`, read with `pread` on the
/// blocking pool in chunks of at most `chunkSize`, one at a time as the socket drains.
/// `close` may come from the loop while a read is in flight; the descriptor is then closed by
/// that read, never under it.
final class FileStream: ResponseStream {
    static let chunkSize = 64 * 1024

    private struct State {
        var file: FileDescriptor?
        var offset: Int64
        var remaining: Int64
        var reading = false
        var closed = false

        /// The descriptor to close now that the stream is closed and no read uses it.
        mutating func takeDescriptorIfIdle() -> FileDescriptor? {
            guard closed, !reading else { return nil }
            defer { file = nil }
            return file
        }
    }

    private let state: Mutex<State>
    private let pool: BlockingPool

    init(file: FileDescriptor, offset: Int64, length: Int64, pool: BlockingPool) {
        state = Mutex(State(file: file, offset: offset, remaining: length))
        self.pool = pool
    }

    func read(_ deliver: @escaping @Sendable ([UInt8]?) -> Void) {
        pool.submit { [self] in
            let job = state.withLock { state -> (file: FileDescriptor, offset: Int64, count: Int)? in
                guard !state.closed, state.remaining > 0, let file = state.file else { return nil }
                state.reading = true
                return (file, state.offset, Int(min(Int64(Self.chunkSize), state.remaining)))
            }
            guard let job else { return deliver(nil) }
            let chunk = Self.read(job.file, count: job.count, at: job.offset)
            let idle = state.withLock { state -> FileDescriptor? in
                state.reading = false
                state.offset += Int64(job.count)
                state.remaining -= Int64(job.count)
                return state.takeDescriptorIfIdle()
            }
            idle?.close()
            deliver(chunk)
        }
    }

    func close() {
        let idle = state.withLock { state -> FileDescriptor? in
            state.closed = true
            return state.takeDescriptorIfIdle()
        }
        idle?.close()
    }

    /// Exactly `count` bytes, or nil (the response is cut short) on an error or a file that
    /// shrank under the download.
    private static func read(_ file: FileDescriptor, count: Int, at offset: Int64) -> [UInt8]? {
        do throws(SystemError) {
            let chunk = try file.read(upTo: count, at: offset)
            if chunk.count == count { return chunk }
            Log.error("upload content shorter than its row says", ["offset": String(offset)])
        } catch {
            Log.error("cannot read upload content", ["error": "\(error)"])
        }
        return nil
    }
}
