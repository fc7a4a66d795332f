import Synchronization

/// Fans application events out to subscribers (the WebSocket hub). REST and WebSocket paths
/// publish through the same instance, after the change is durably stored.
package final class EventPublisher: Sendable {
    package typealias Subscriber = @Sendable (ChatEvent, _ origin: UInt64?) -> Void

    private let subscribers = Mutex<[Subscriber]>([])

    package init() {}

    /// Adds a subscriber; called on the publishing thread, so it must only hand work off.
    package func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.withLock { $0.append(subscriber) }
    }

    /// `origin` is the WebSocket session that caused the change, if any: it is answered
    /// directly (`message.ack`) and skipped by the fan-out.
    package func publish(_ event: ChatEvent, origin: UInt64? = nil) {
        for subscriber in subscribers.withLock({ $0 }) { subscriber(event, origin) }
    }
}
