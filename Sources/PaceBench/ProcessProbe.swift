import PaceSystem
#if canImport(Glibc)
import Glibc
#endif

/// The process facts a run needs: its own descriptor limit and the server's memory.
package enum ProcessProbe {
    /// Raises the soft descriptor limit to the hard one and returns the result.
    package static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return limit.rlim_cur > UInt(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    /// The resident set of process `pid` in KiB, from /proc; nil when it cannot be read.
    package static func residentKiB(pid: Int32) -> Int? {
        guard let status = FileContents.text("/proc/\(pid)/status") else { return nil }
        return residentKiB(statusText: status)
    }

    /// The `VmRSS:` figure of a /proc status text.
    package static func residentKiB(statusText: String) -> Int? {
        for line in statusText.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// The non-empty lines of a tokens file, LF or CRLF.
    package static func tokens(fileText: String) -> [String] {
        fileText.split(whereSeparator: \.isNewline).map(String.init)
    }
}
