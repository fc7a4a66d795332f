import PaceJSON
import PaceStore
import PaceSystem

/// Sending and reading over WebSocket with the services REST uses: the same validation, the
/// same writes, the same events (tagged with the socket's session).
struct MessageActions: ChatActions {
    let context: AppContext
    let moderation: BlockedWordList
    let throttle: MessageThrottle

    func send(conversationID: Int64, fields: JSONObjectReader, from user: Int64, session: UInt64,
              completion: @escaping @Sendable (Result<[UInt8], APIError>) -> Void) {
        let message: SendMessage
        switch MessageRequests.send(fields, moderation: moderation.current) {
        case .success(let parsed): message = parsed
        case .failure(let error): return completion(.failure(error))
        }
        if let limited = throttle.check(user: user, body: message.body) { return completion(.failure(limited)) }
        let now = context.now()
        context.commit({ db throws(StoreError) in
            try MessageWrites.send(db, conversationID: conversationID, senderID: user, message, now: now)
        }, origin: session, answerFirst: true, completion: { change in completion(change.map(\.json)) })
    }

    func recordMissedCall(conversationID: Int64, callerID: Int64, media: CallMedia) {
        let now = context.now()
        let message = SendMessage(body: media == .video ? "Missed video call" : "Missed audio call", clientID: nil,
                                  replyToID: nil, attachmentIDs: [])
        context.commit({ db throws(StoreError) in
            try MessageWrites.send(db, conversationID: conversationID, senderID: callerID, message, now: now, kind: .missedCall)
        }, completion: { outcome in
            if case .failure(let error) = outcome, error.status >= 500 {
                Log.error("missed call not recorded", ["conversation": String(conversationID), "code": error.code])
            }
        })
    }

    func markRead(conversationID: Int64, messageID: Int64, by user: Int64,
                  completion: @escaping @Sendable (Result<Void, APIError>) -> Void) {
        context.commit({ db throws(StoreError) in
            try ReadMarkers.markRead(db, conversationID: conversationID, userID: user, messageID: messageID)
        }, completion: { moved in completion(moved.map { _ in () }) })
    }
}
