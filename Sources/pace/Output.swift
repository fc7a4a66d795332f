#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to standard output and error: the "listening" line must reach a
/// supervising process (or test) immediately, even when stdout is a pipe.
enum Output {
    static func line(_ text: String) {
        write(1, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func error(_ text: String) {
        write(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}
