import Synchronization

/// The in-process bus: `publish` calls every subscriber on the publishing thread, so events
/// reach them in the order they were published (commit order, see `AppContext.commit`).
package final class LocalEventBus: EventBus {
    private let subscribers = Mutex<[Subscriber]>([])

    package init() {}

    package func subscribe(_ subscriber: @escaping Subscriber) {
        subscribers.withLock { $0.append(subscriber) }
    }

    package func publish(_ event: ChatEvent, origin: UInt64?) {
        for subscriber in subscribers.withLock({ $0 }) { subscriber(event, origin) }
    }
}
