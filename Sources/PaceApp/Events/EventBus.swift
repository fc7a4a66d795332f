/// Between "committed" and "fan out": every durably stored change members should see live is
/// published here exactly once, by `AppContext.commit`, and every subscriber (the hub) hears it.
///
/// Contract: a subscriber receives each event once, in the order of publication, which is the
/// order of commit; `publish` only hands work off and never blocks on the subscribers. A bus
/// spanning several servers (Redis) publishes to the others too and delivers theirs to the local
/// subscribers, keeping each publisher's order.
package protocol EventBus: Sendable {
    /// `origin` is the WebSocket session that caused the change, if any: it is answered
    /// directly (`message.ack`) and skipped by the fan-out.
    typealias Subscriber = @Sendable (ChatEvent, _ origin: UInt64?) -> Void

    /// Adds a subscriber; it is called on the publishing thread, so it must only hand work off.
    func subscribe(_ subscriber: @escaping Subscriber)

    /// Delivers a committed change to every subscriber.
    func publish(_ event: ChatEvent, origin: UInt64?)
}

/// A write's result that may carry a change to publish once it is durable.
package protocol CarriesEvent {
    var event: ChatEvent? { get }
}

extension ChatEvent: CarriesEvent {
    package var event: ChatEvent? { self }
}

extension Optional: CarriesEvent where Wrapped: CarriesEvent {
    package var event: ChatEvent? { self?.event }
}

extension MessageChange: CarriesEvent {}
extension ConversationChange: CarriesEvent {}
