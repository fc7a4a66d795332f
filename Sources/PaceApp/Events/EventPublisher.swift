import Synchronization

/// Fans application events out to subscribers (the WebSocket hub). REST and WebSocket paths
/// publish through the same instance, after the change is durably stored.
package final class EventPublisher: Sendable {
    private let subscribers = Mutex<[@Sendable (ChatEvent) -> Void]>([])

    package init() {}

    /// Adds a subscriber; called on the publishing thread, so it must only hand work off.
    package func subscribe(_ subscriber: @escaping @Sendable (ChatEvent) -> Void) {
        subscribers.withLock { $0.append(subscriber) }
    }

    package func publish(_ event: ChatEvent) {
        for subscriber in subscribers.withLock({ $0 }) { subscriber(event) }
    }
}
