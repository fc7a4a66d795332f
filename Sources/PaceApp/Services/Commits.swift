import PaceStore

extension AppContext {
    /// Runs `work` on the writer; once it is durable, `completion` gets the outcome and then the
    /// change's event goes on the bus. This is the one place a committed change is published:
    /// write completions run in commit order, so the bus hears changes in that order too. The
    /// caller's answer (an HTTP reply or a `message.ack`) is queued before the fan-out, so a large
    /// group does not delay it. `origin` is the WebSocket session that caused the change.
    package func commit<T: Sendable & CarriesEvent>(
        _ work: @escaping StoreWork<T>, origin: UInt64? = nil,
        completion: @escaping @Sendable (Result<T, APIError>) -> Void
    ) {
        let events = self.events
        store.write(work) { result in
            let outcome = Self.outcome(result)
            completion(outcome)
            if case .success(let value) = outcome, let event = value.event { events.publish(event, origin: origin) }
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
