/// The outcome of feeding bytes to `RequestHeadParser`.
package enum HeadParseResult: Equatable, Sendable {
    /// The head is complete and valid; its header fields are in the caller's array.
    case complete(RequestHead)
    /// The bytes so far are a valid beginning; call again with more appended.
    case needMore
    /// The request is malformed; answer `error.status` and close the connection.
    case failure(HTTPParseError)
}
