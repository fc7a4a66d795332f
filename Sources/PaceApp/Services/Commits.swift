import PaceStore

extension AppContext {
    /// Runs `work` on the writer; once it is durable, the change's event goes on the bus and
    /// `completion` gets the outcome. This is the one place a committed change is published:
    /// write completions run in commit order, so the bus hears changes in that order too.
    /// `origin` is the WebSocket session that caused the change. By default the event is
    /// published before the answer, so a client holding the answer knows the fan-out has begun;
    /// `answerFirst` queues a `message.ack` ahead of the fan-out instead, so a large group does
    /// not delay it.
    package func commit<T: Sendable & CarriesEvent>(
        _ work: @escaping StoreWork<T>, origin: UInt64? = nil, answerFirst: Bool = false,
        completion: @escaping @Sendable (Result<T, APIError>) -> Void
    ) {
        let events = self.events
        store.write(work) { result in
            let outcome = Self.outcome(result)
            if answerFirst { completion(outcome) }
            if case .success(let value) = outcome, let event = value.event { events.publish(event, origin: origin) }
            if !answerFirst { completion(outcome) }
        }
    }

    /// `commit` for a route: refusals and store failures are answered, `success` gets the value.
    package func commitAnswer<T: Sendable & CarriesEvent>(_ reply: Reply, _ work: @escaping StoreWork<T>,
                                                           success: @escaping @Sendable (T) -> Void) {
        commit(work) { outcome in
            switch outcome {
            case .success(let value): success(value)
            case .failure(let error): reply.error(error)
            }
        }
    }
}
