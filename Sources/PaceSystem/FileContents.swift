#if canImport(Glibc)
import Glibc
#endif

/// Whole small files (configuration, /proc), read at once with plain `read` calls.
package enum FileContents {
    /// The file's bytes, or nil when it cannot be opened or read, or passes `limit` bytes.
    package static func bytes(_ path: String, limit: Int = 16 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { return nil }
        }
    }

    /// The file as UTF-8 text (invalid sequences replaced), or nil.
    package static func text(_ path: String, limit: Int = 16 << 20) -> String? {
        bytes(path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }
}
