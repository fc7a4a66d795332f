/// One RESP2 reply: what a Redis server sends back. Bulk strings stay bytes (Redis values are
/// binary); a nil bulk string or array (`$-1`, `*-1`) is `.null`.
package enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case array([RESPValue])
    case null
}

extension RESPValue {
    /// The bytes of a bulk or simple string, nil otherwise.
    package var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The reply as text, when it is a string of either kind and valid UTF-8.
    package var text: String? {
        guard let bytes else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
