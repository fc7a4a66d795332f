/// A response handed back by the application, from any thread.
package struct HTTPResponse: Sendable {
    /// A body whose bytes are owned or static; static text costs no allocation.
    package enum Body: Sendable {
        case empty
        case bytes([UInt8])
        case text(StaticString)
        /// `length` bytes produced chunk by chunk (a file read on the blocking pool), pulled
        /// only as the socket drains, so a large download holds little memory.
        case stream(length: Int, ResponseStream)

        var count: Int {
            switch self {
            case .empty: 0
            case .bytes(let bytes): bytes.count
            case .text(let text): text.utf8CodeUnitCount
            case .stream(let length, _): length
            }
        }
    }

    package var status: Int
    package var contentType: StaticString?
    package var headers: [HTTPHeader]
    package var body: Body
    /// Ask the server to close the connection after this response.
    package var closeConnection: Bool

    package init(status: Int, contentType: StaticString? = nil,
                 headers: [HTTPHeader] = [], body: Body = .empty,
                 closeConnection: Bool = false) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }
}

/// One extra response header. A named struct rather than a tuple: iterating tuples makes the
/// runtime look up tuple metadata on every response.
package struct HTTPHeader: Sendable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The producer behind `HTTPResponse.Body.stream`.
package protocol ResponseStream: AnyObject, Sendable {
    /// Produces the next chunk and passes it to `deliver` from any thread; nil when there is
    /// nothing more (or a read failed: the connection is then closed, as the length promised
    /// more). Never called again before `deliver` ran.
    func read(_ deliver: @escaping @Sendable ([UInt8]?) -> Void)
    /// The response is over (sent, or the connection is gone); release what is held.
    func close()
}
