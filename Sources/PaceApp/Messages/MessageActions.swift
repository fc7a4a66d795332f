import PaceJSON
import PaceStore

/// Sending and reading over WebSocket with the services REST uses: the same validation, the
/// same writes, the same events (tagged with the socket's session).
struct MessageActions: ChatActions {
    let context: AppContext
    let moderation: BlockedWords

    func send(conversationID: Int64, fields: JSONObjectReader, from user: Int64, session: UInt64,
              completion: @escaping @Sendable (Result<[UInt8], APIError>) -> Void) {
        let message: SendMessage
        switch MessageRequests.send(fields, moderation: moderation) {
        case .success(let parsed): message = parsed
        case .failure(let error): return completion(.failure(error))
        }
        let now = context.now()
        let context = self.context
        context.store.write({ db throws(StoreError) in
            try MessageWrites.send(db, conversationID: conversationID, senderID: user, message, now: now)
        }, completion: { result in
            let change = AppContext.outcome(result)
            // The ack is queued on the sender's loop before the fan-out reaches it, so a large
            // group's writes do not delay it.
            completion(change.map(\.json))
            if case .success(let stored) = change, let event = stored.event {
                context.events.publish(event, origin: session)
            }
        })
    }

    func markRead(conversationID: Int64, messageID: Int64, by user: Int64,
                  completion: @escaping @Sendable (Result<Void, APIError>) -> Void) {
        let context = self.context
        context.store.write({ db throws(StoreError) in
            try ReadMarkers.markRead(db, conversationID: conversationID, userID: user, messageID: messageID)
        }, completion: { result in
            let moved = AppContext.outcome(result)
            if case .success(let event?) = moved { context.events.publish(event) }
            completion(moved.map { _ in () })
        })
    }
}
