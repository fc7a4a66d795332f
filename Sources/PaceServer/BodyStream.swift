import PaceHTTP

/// Receives a request body as it arrives, instead of in memory: uploads stream to disk.
/// Chunks arrive in order on the loop thread; the next one waits until `ready` is called
/// (from any thread), and reading from the socket pauses meanwhile, so a slow disk pushes
/// back on the client instead of growing memory.
package protocol BodyStream: AnyObject, Sendable {
    func write(_ chunk: [UInt8], ready: @escaping @Sendable () -> Void)
    /// The body will not complete (client gone, framing error, over the limit): discard it.
    func abort()
}

/// The body of the request being read: collected in memory, or passed on to a stream in
/// chunks of up to `chunkSize` bytes.
struct IncomingBody {
    static let chunkSize = 64 * 1024

    var decoder: BodyDecoder
    let limit: Int
    let stream: BodyStream?
    /// What answers the request once the body is complete.
    let exchange: any HTTPExchange
    /// The whole body (memory), or the chunk not yet handed to the stream.
    var bytes: [UInt8] = []
    /// The decoder reached the end of the body.
    var ended = false
    /// A chunk is with the stream; nothing more is read until it is ready.
    var waiting = false

    init(decoder: BodyDecoder, limit: Int, stream: BodyStream?, exchange: any HTTPExchange) {
        self.decoder = decoder
        self.limit = limit
        self.stream = stream
        self.exchange = exchange
    }
}

/// A streamed response body on its way out.
struct OutgoingBody {
    /// A new chunk is pulled only while less than this is queued on the socket.
    static let lowWater = 256 * 1024

    let stream: ResponseStream
    var remaining: Int
    let keepAlive: Bool
    /// A read is in flight.
    var reading = false
}
