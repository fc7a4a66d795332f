import PaceWebSocket

extension WebSocketCloseCode {
    /// The socket fell too far behind its fan-out; the client reconnects with `since`.
    package static let tooFarBehind = WebSocketCloseCode(4000)
    /// The access token expired or its login was revoked; the client refreshes, then reconnects.
    package static let credentialsEnded = WebSocketCloseCode(4001)
    /// An admin deactivated the account; reconnecting is refused until it is reactivated.
    package static let accountDeactivated = WebSocketCloseCode(4003)
}

/// Every reason the server itself ends a WebSocket, with the code and reason text each one
/// sends (README, "close codes"): the one place that decides them. Protocol failures of the
/// peer are the reader's (1002, 1007, 1009) and an echoed close repeats the peer's code.
package enum WebSocketCloseCause: Sendable, Equatable {
    /// The server is shutting down.
    case shuttingDown
    /// The client kept sending past its frame rate.
    case rateLimited
    /// Queued output passed the socket's limit: the backlog is dropped so the close goes next.
    case slowConsumer
    /// More live frames arrived during a replay than a replay may hold.
    case replayOverflow
    /// The hub could not keep the socket's stream whole (its backlog overflowed while the
    /// store was unavailable): `since` replays what was missed.
    case resync
    /// The access token expired or its login session was revoked.
    case credentialsEnded
    /// An admin deactivated the account.
    case accountDeactivated

    package var code: WebSocketCloseCode {
        switch self {
        case .shuttingDown: .goingAway
        case .rateLimited: .policyViolation
        case .slowConsumer, .replayOverflow, .resync: .tooFarBehind
        case .credentialsEnded: .credentialsEnded
        case .accountDeactivated: .accountDeactivated
        }
    }

    package var reason: String {
        switch self {
        case .shuttingDown: "server shutting down"
        case .rateLimited: "rate limit"
        case .slowConsumer: "too far behind; reconnect with since"
        case .replayOverflow: "too far behind"
        case .resync: "stream interrupted; reconnect with since"
        case .credentialsEnded: "token expired or revoked"
        case .accountDeactivated: "account deactivated"
        }
    }

    /// Whether queued frames are discarded first, so a peer that is not reading them gets the
    /// close frame next instead of after them.
    package var dropsBacklog: Bool { self == .slowConsumer || self == .resync }
}
