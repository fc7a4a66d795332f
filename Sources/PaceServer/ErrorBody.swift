/// The API's error shape, `{"error":{"code":…,"message":…}}`, for errors raised below the
/// application (framing, limits, timeouts). Codes and messages here are fixed ASCII text
/// without quotes or backslashes, so no escaping is needed.
enum ErrorBody {
    static func json(code: StaticString, message: StaticString) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + code.utf8CodeUnitCount + message.utf8CodeUnitCount)
        out.append(contentsOf: #"{"error":{"code":""#.utf8)
        code.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: #"","message":""#.utf8)
        message.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: #""}}"#.utf8)
        return out
    }
}
