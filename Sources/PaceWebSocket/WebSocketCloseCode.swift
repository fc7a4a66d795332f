/// A close status code (RFC 6455 section 7.4).
///
/// A struct rather than an enum: peers may send any code in the ranges this server must
/// accept, and an echo has to carry the exact value back.
package struct WebSocketCloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package var rawValue: UInt16

    package init(rawValue: UInt16) { self.rawValue = rawValue }
    package init(_ rawValue: UInt16) { self.rawValue = rawValue }

    package static let normalClosure = WebSocketCloseCode(1000)
    package static let goingAway = WebSocketCloseCode(1001)
    package static let protocolError = WebSocketCloseCode(1002)
    package static let unsupportedData = WebSocketCloseCode(1003)
    /// Never sent on the wire: it stands for "the close frame had no code".
    package static let noStatusReceived = WebSocketCloseCode(1005)
    /// Never sent on the wire: it stands for "the connection dropped without a close frame".
    package static let abnormalClosure = WebSocketCloseCode(1006)
    package static let invalidPayload = WebSocketCloseCode(1007)
    package static let policyViolation = WebSocketCloseCode(1008)
    package static let messageTooBig = WebSocketCloseCode(1009)
    package static let mandatoryExtension = WebSocketCloseCode(1010)
    package static let internalError = WebSocketCloseCode(1011)

    /// Whether a peer may put this code in a close frame.
    ///
    /// Follows the Autobahn TestSuite (cases 7.7 and 7.9): 1000-1003 and 1007-1011 are the
    /// RFC's own, 3000-3999 are IANA-registered and 4000-4999 private. 1004-1006 and 1015 are
    /// reserved and never sent; 1012-1014, though registered by IANA later, and the rest of
    /// 1016-2999 are rejected as Autobahn expects.
    package var isValidInCloseFrame: Bool {
        switch rawValue {
        case 1000...1003, 1007...1011, 3000...4999: true
        default: false
        }
    }

    package var description: String { String(rawValue) }
}
