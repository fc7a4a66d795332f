/// The request methods Pace serves. Any other well-formed method token is answered 501.
///
/// CONNECT and TRACE are deliberately absent: Pace is no proxy, and TRACE only helps
/// cross-site tracing attacks.
package enum HTTPMethod: UInt8, Sendable, CaseIterable {
    case get, head, post, put, patch, delete, options

    /// The method's name as sent on the wire.
    package var name: StaticString {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .patch: "PATCH"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        }
    }

    /// Longest method name; a longer token cannot be one of ours.
    static let maxNameLength = 7

    /// The method whose name, packed big-endian into an integer one byte at a time, is `key`.
    ///
    /// Methods are case-sensitive (RFC 9110 section 9.1). Token bytes are never zero, so the
    /// packed value identifies the name and its length together.
    static func fromPackedName(_ key: UInt64) -> HTTPMethod? {
        switch key {
        case 0x47_4554: .get
        case 0x4845_4144: .head
        case 0x504F_5354: .post
        case 0x50_5554: .put
        case 0x50_4154_4348: .patch
        case 0x4445_4C45_5445: .delete
        case 0x4F_5054_494F_4E53: .options
        default: nil
        }
    }
}
