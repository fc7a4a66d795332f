import Synchronization

/// Where User objects get their live `presence` from. Everyone is `offline` until the
/// WebSocket hub installs its own lookup at startup.
package final class PresenceLookup: Sendable {
    private let lookup = Mutex<@Sendable (Int64) -> String>({ _ in "offline" })

    package init() {}

    /// Replaces the lookup; it must be cheap and non-blocking (it runs while answering requests).
    package func install(_ presence: @escaping @Sendable (Int64) -> String) {
        lookup.withLock { $0 = presence }
    }

    /// `online`, `away`, `busy` or `offline`.
    package func presence(of userID: Int64) -> String {
        lookup.withLock { $0 }(userID)
    }
}
