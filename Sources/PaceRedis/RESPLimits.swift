/// Bounds a reply may not exceed; checked against the declared length before anything is
/// allocated, so a hostile or broken peer cannot make the parser reserve gigabytes.
package struct RESPLimits: Sendable {
    /// Largest bulk string, in bytes (Redis' own proto-max-bulk-len defaults to 512 MB; Pace
    /// never stores values anywhere near that).
    package var maxBulkLength: Int
    /// Most elements in one array.
    package var maxArrayCount: Int
    /// Deepest nesting of arrays.
    package var maxDepth: Int
    /// Longest simple string, error or integer line, without CRLF.
    package var maxLineLength: Int

    package init(maxBulkLength: Int = 8 << 20, maxArrayCount: Int = 1 << 16, maxDepth: Int = 8,
                 maxLineLength: Int = 64 << 10) {
        self.maxBulkLength = maxBulkLength
        self.maxArrayCount = maxArrayCount
        self.maxDepth = maxDepth
        self.maxLineLength = maxLineLength
    }
}

/// Why bytes are not RESP2: the connection that sent them cannot be trusted any further.
package enum RESPError: Error, Sendable, Equatable {
    case unknownType(UInt8)
    case badLength
    case badInteger
    case missingCRLF
    case lineTooLong
    case bulkTooLong(Int)
    case arrayTooLong(Int)
    case tooDeep
}
