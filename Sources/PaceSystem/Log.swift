#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Severity of a log line; lines below the configured level are not built at all.
package enum LogLevel: Int, Sendable, Comparable {
    case debug, info, warn, error

    package init?(name: String) {
        switch name.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "warn", "warning": self = .warn
        case "error": self = .error
        default: return nil
        }
    }

    var name: StaticString {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warn: "warn"
        case .error: "error"
        }
    }

    package static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One-line structured logs (`ts=… level=info msg=… key=value`) written to standard error
/// with a single `write`, so lines from different threads never interleave.
package enum Log {
    private static let threshold = Atomic<Int>(LogLevel.info.rawValue)

    package static var level: LogLevel {
        get { LogLevel(rawValue: threshold.load(ordering: .relaxed)) ?? .info }
        set { threshold.store(newValue.rawValue, ordering: .relaxed) }
    }

    package static func enabled(_ level: LogLevel) -> Bool {
        level.rawValue >= threshold.load(ordering: .relaxed)
    }

    /// Logs `message` with `fields`; values are quoted when they contain spaces or quotes.
    package static func write(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        guard enabled(level) else { return }
        var line = LogLine(level, message)
        for (key, value) in fields { line.field(key, value) }
        line.emit()
    }

    package static func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        write(.info, message, fields)
    }

    package static func warn(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        write(.warn, message, fields)
    }

    package static func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) {
        write(.error, message, fields)
    }
}

/// A log line under construction; `emit` writes it.
package struct LogLine {
    private var bytes: [UInt8] = []

    package init(_ level: LogLevel, _ message: String) {
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: "ts=".utf8)
        appendTimestamp()
        bytes.append(contentsOf: " level=".utf8)
        level.name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        field("msg", message)
    }

    package mutating func field(_ key: String, _ value: String) {
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "="))
        appendValue(value)
    }

    package mutating func field(_ key: String, _ value: Int) {
        field(key, String(value))
    }

    package mutating func emit() {
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    private mutating func appendValue(_ value: String) {
        let needsQuotes = value.isEmpty || value.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: "\"") || $0 == 0x7F }
        guard needsQuotes else {
            bytes.append(contentsOf: value.utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20, 0x7F:
                bytes.append(UInt8(ascii: "?"))
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendTimestamp() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(now.tv_nsec / 1_000_000)
        appendDigits(Int(parts.tm_year) + 1900, 4)
        bytes.append(UInt8(ascii: "-")); appendDigits(Int(parts.tm_mon) + 1, 2)
        bytes.append(UInt8(ascii: "-")); appendDigits(Int(parts.tm_mday), 2)
        bytes.append(UInt8(ascii: "T")); appendDigits(Int(parts.tm_hour), 2)
        bytes.append(UInt8(ascii: ":")); appendDigits(Int(parts.tm_min), 2)
        bytes.append(UInt8(ascii: ":")); appendDigits(Int(parts.tm_sec), 2)
        bytes.append(UInt8(ascii: ".")); appendDigits(millis, 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    private mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
