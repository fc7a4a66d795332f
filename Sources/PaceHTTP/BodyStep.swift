/// One step of decoding a request body with `BodyDecoder`.
///
/// Offsets are into the buffer given to that `decode` call. After each step the caller drops
/// the bytes the step used up (`range.upperBound` for `.data`, `consumed` otherwise) and
/// passes what remains, plus anything received since, to the next call.
package enum BodyStep: Equatable, Sendable {
    /// Body bytes; everything before the range's end is used up. Call again for more.
    case data(Range<Int>)
    /// The first `consumed` bytes were framing and are used up; more bytes are needed.
    case needMore(consumed: Int)
    /// The body is complete after `consumed` bytes; the rest belongs to the next request.
    case end(consumed: Int)
    /// The body is malformed or too large; answer `error.status` and close the connection.
    case failure(HTTPParseError)
}
