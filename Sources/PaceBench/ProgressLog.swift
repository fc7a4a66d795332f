#if canImport(Glibc)
import Glibc
#endif

/// Human-readable lines on stderr, so stdout carries only the JSON result.
package struct ProgressLog: Sendable {
    package let quiet: Bool
    package let verbose: Bool

    package init(quiet: Bool, verbose: Bool) {
        self.quiet = quiet
        self.verbose = verbose
    }

    /// Progress and warnings, unless `--quiet`.
    package func info(_ text: @autoclosure () -> String) {
        if !quiet { Self.standardError(text()) }
    }

    /// Per-connection events, only with `--verbose`.
    package func detail(_ text: @autoclosure () -> String) {
        if verbose { Self.standardError(text()) }
    }

    package static func standardError(_ text: String) {
        write(2, "pace-bench: " + text + "\n")
    }

    package static func standardOutput(_ text: String) {
        write(1, text + "\n")
    }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
