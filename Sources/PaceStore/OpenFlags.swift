import CSQLite

/// Flags for `sqlite3_open_v2`. Every connection is used by one thread at a time, so the
/// store opens them `noMutex`; extended result codes are always requested.
package struct OpenFlags: OptionSet, Sendable {
    package let rawValue: Int32
    package init(rawValue: Int32) { self.rawValue = rawValue }

    package static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
    package static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
    package static let noMutex = OpenFlags(rawValue: SQLITE_OPEN_NOMUTEX)

    /// Read-write, created if missing, for use by a single thread at a time.
    package static let standard: OpenFlags = [.readWrite, .create, .noMutex]
}
