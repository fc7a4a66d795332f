#if canImport(Glibc)
import Glibc
#endif

/// An open file for blocking I/O (pool threads and start-up, never a loop), every call
/// retried on EINTR. A plain value: its owner calls `close` exactly once.
package struct FileDescriptor: Sendable {
    package let rawValue: Int32

    package enum Mode: Sendable {
        case readOnly
        /// A new file, write-only; fails with EEXIST when the path exists.
        case createNew(permissions: UInt32)
    }

    package static func open(_ path: String, _ mode: Mode) throws(SystemError) -> FileDescriptor {
        while true {
            let fd: Int32
            switch mode {
            case .readOnly: fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            case .createNew(let permissions):
                fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
            }
            if fd >= 0 { return FileDescriptor(rawValue: fd) }
            guard errno == EINTR else { throw SystemError("open") }
        }
    }

    /// Writes all of `bytes` (a short write is retried with the rest).
    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Glibc.write(rawValue, next, left)
            if written < 0 {
                guard errno == EINTR else { throw SystemError("write") }
                continue
            }
            next += written
            left -= written
        }
    }

    package func writeAll(_ bytes: [UInt8]) throws(SystemError) {
        let failure = bytes.withUnsafeBytes { buffer -> SystemError? in
            do throws(SystemError) {
                try writeAll(buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Up to `count` bytes from `offset` (fewer only at the end of the file).
    package func read(upTo count: Int, at offset: Int64) throws(SystemError) -> [UInt8] {
        try fill(count) { pointer, wanted, done in pread(rawValue, pointer, wanted, off_t(offset) + off_t(done)) }
    }

    /// Up to `count` bytes from the current position (fewer only at the end of the file).
    package func read(upTo count: Int) throws(SystemError) -> [UInt8] {
        try fill(count) { pointer, wanted, _ in Glibc.read(rawValue, pointer, wanted) }
    }

    /// Makes what was written durable.
    package func sync() throws(SystemError) {
        guard fsync(rawValue) == 0 else { throw SystemError("fsync") }
    }

    package func close() {
        _ = Glibc.close(rawValue)
    }

    private func fill(_ count: Int,
                      _ call: (UnsafeMutableRawPointer, Int, Int) -> Int) throws(SystemError) -> [UInt8] {
        var failure: SystemError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while initialized < count, let base = buffer.baseAddress {
                let got = call(base + initialized, count - initialized, initialized)
                if got < 0 && errno == EINTR { continue }
                if got < 0 { failure = SystemError("read") }
                guard got > 0 else { return }
                initialized += got
            }
        }
        if let failure { throw failure }
        return bytes
    }
}
