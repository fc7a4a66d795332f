import PaceJSON

/// The stored actions a socket can take, provided by the message services so that a send
/// over WebSocket goes through exactly the same validation and durable store as REST.
package protocol ChatActions: Sendable {
    /// Stores the message described by `fields` (a `message.send` frame) from `user`; answers
    /// with the Message JSON once it is durable. The `message.new` fan-out skips `session`,
    /// which gets `message.ack` instead.
    func send(conversationID: Int64, fields: JSONObjectReader, from user: Int64, session: UInt64,
              completion: @escaping @Sendable (Result<[UInt8], APIError>) -> Void)
    /// Moves `user`'s read marker forward to `messageID`.
    func markRead(conversationID: Int64, messageID: Int64, by user: Int64,
                  completion: @escaping @Sendable (Result<Void, APIError>) -> Void)
    /// Stores the missed-call message of a call `callerID` made that nobody answered.
    func recordMissedCall(conversationID: Int64, callerID: Int64, media: CallMedia)
}
