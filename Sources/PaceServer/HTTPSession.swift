import PaceHTTP
import PaceLoop
import PaceSystem
import PaceWebSocket

/// HTTP/1.1 on one connection: parses requests in place, hands each complete one to the
/// handler, and writes responses strictly in request order. While a response is pending,
/// reading pauses, so pipelined requests wait in the buffer (and then in the kernel).
final class HTTPSession: ConnectionDelegate {
    private enum State {
        /// Waiting for, or partway through, a request head.
        case head
        /// Reading the body described by `incoming`; the head was copied to `savedHead`.
        case body
        /// The handler has the request; nothing more is read until it answers.
        case awaitingResponse
        /// A streamed response body is being sent; `outgoing` describes it.
        case streamingResponse
        /// A response that ends the connection was queued.
        case closing
        /// The connection now speaks WebSocket; this session is done.
        case upgraded
    }

    let connection: Connection
    private let context: HTTPLoopContext
    private var state = State.head
    private var parser: RequestHeadParser
    private var headers: [HTTPHeaderField] = []
    private var savedHead: [UInt8] = []
    private var savedHeadValue: RequestHead?
    private var savedRequestID: UInt64 = 0
    private var savedClient = ClientAddress(address: .unspecified, isForwarded: false)
    private var incoming: IncomingBody?
    private var outgoing: OutgoingBody?
    private var serial: UInt64 = 0
    private var requestStart: Int64 = 0
    private var pending: (method: HTTPMethod, keepAlive: Bool, id: UInt64, minorVersion: UInt8)?
    private var readClosed = false
    private var shuttingDown = false

    init(connection: Connection, context: HTTPLoopContext) {
        self.connection = connection
        self.context = context
        parser = RequestHeadParser(limits: context.configuration.limits)
        armKeepAliveDeadline()
    }

    // MARK: ConnectionDelegate

    func connection(_ connection: Connection, received bytes: UnsafeRawBufferPointer) -> Int {
        var consumed = 0
        while consumed < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[consumed...])
            guard let step = advance(rest) else { break }
            consumed += step
        }
        return consumed
    }

    func connectionReadClosed(_ connection: Connection) {
        readClosed = true
        if case .awaitingResponse = state { return }
        if case .streamingResponse = state { return }
        connection.closeAfterFlush()
    }

    func connectionDeadlinePassed(_ connection: Connection) {
        switch state {
        case .head where !headStarted:
            connection.close(.timeout)
        case .head, .body:
            fail(status: 408, code: "request_timeout", message: "The request was not received in time.")
        case .closing:
            connection.close(.timeout)
        case .awaitingResponse, .streamingResponse, .upgraded:
            break
        }
    }

    func connectionShutdownRequested(_ connection: Connection) {
        shuttingDown = true
        if case .awaitingResponse = state { return }
        if case .streamingResponse = state { return }
        if case .head = state, !headStarted { connection.closeAfterFlush() }
    }

    func connectionClosed(_ connection: Connection) {
        incoming?.stream?.abort()
        incoming = nil
        outgoing?.stream.close()
        outgoing = nil
        serial &+= 1
        context.connectionClosed(connection)
    }

    // MARK: Parsing

    private var headStarted = false

    /// Part of a request has arrived (a head begun, a body unfinished) and waits for the rest.
    var isMidRequest: Bool {
        if case .body = state { return true }
        if case .head = state { return headStarted }
        return false
    }

    /// Handles bytes at the start of `rest`; returns how many were consumed, or nil to stop
    /// reading this buffer (need more bytes, or waiting on the handler, or closing).
    private func advance(_ rest: UnsafeRawBufferPointer) -> Int? {
        switch state {
        case .head: return parseHead(rest)
        case .body: return readBody(rest)
        case .awaitingResponse, .streamingResponse, .closing, .upgraded: return nil
        }
    }

    private func parseHead(_ rest: UnsafeRawBufferPointer) -> Int? {
        if !headStarted {
            headStarted = true
            connection.deadline = context.loop.now + context.configuration.headerTimeoutMilliseconds
        }
        switch parser.parse(rest, into: &headers) {
        case .needMore:
            return nil
        case .failure(let error):
            fail(status: error.status, code: error.code, message: error.message)
            return nil
        case .complete(let head):
            parser.reset()
            return startRequest(head, rest)
        }
    }

    private func startRequest(_ head: RequestHead, _ rest: UnsafeRawBufferPointer) -> Int? {
        serial &+= 1
        let client = ClientAddress.resolve(peer: connection.peer, trusted: context.configuration.trustedProxies,
                                           headers: headers, buffer: rest)
        if client.isForwarded { context.metrics.forwardedClient() }
        let view = HTTPRequest(head: head, buffer: rest, headers: headers, id: context.nextRequestID(),
                               peer: connection.peer, client: client)
        let exchange = context.handler.exchange(for: view)
        guard head.isChunked || (head.contentLength ?? 0) > 0 else {
            dispatch(view, to: exchange)
            return head.byteCount
        }
        let limit = exchange.bodyLimit
        let decoder: BodyDecoder
        do {
            decoder = try BodyDecoder.forRequest(head, maxBodyBytes: limit, limits: context.configuration.limits)
        } catch {
            fail(status: error.status, code: error.code, message: error.message)
            return nil
        }
        if head.expectContinue { connection.send(continueLine) }
        savedHead.removeAll(keepingCapacity: true)
        savedHead.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<head.byteCount]))
        savedHeadValue = head
        savedRequestID = view.id
        savedClient = client
        incoming = IncomingBody(decoder: decoder, limit: limit, stream: exchange.bodyStream(for: view),
                                exchange: exchange)
        state = .body
        connection.deadline = context.loop.now + context.configuration.bodyTimeoutMilliseconds
        return head.byteCount
    }

    private func readBody(_ rest: UnsafeRawBufferPointer) -> Int? {
        guard var body = incoming, !body.waiting else { return nil }
        incoming = nil
        defer { if case .body = state { incoming = body } }
        var consumed = 0
        while true {
            let window = UnsafeRawBufferPointer(rebasing: rest[consumed...])
            switch body.decoder.decode(window) {
            case .data(let range):
                body.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: window[range]))
                consumed += range.upperBound
                if body.bytes.count > body.limit {
                    failBody(body, status: 413, code: "payload_too_large",
                             message: "The request body is larger than this route accepts.")
                    return nil
                }
                if body.stream != nil && body.bytes.count >= IncomingBody.chunkSize {
                    handOff(&body)
                    return consumed
                }
            case .needMore(let used):
                connection.deadline = context.loop.now + context.configuration.bodyTimeoutMilliseconds
                if body.stream != nil && !body.bytes.isEmpty { handOff(&body) }
                return consumed + used > 0 ? consumed + used : nil
            case .end(let used):
                consumed += used
                body.ended = true
                if body.stream != nil && !body.bytes.isEmpty {
                    handOff(&body)
                } else {
                    finishBody(body)
                }
                return consumed
            case .failure(let error):
                failBody(body, status: error.status, code: error.code, message: error.message)
                return nil
            }
        }
    }

    /// Gives the pending chunk to the stream and stops reading until it is taken care of.
    private func handOff(_ body: inout IncomingBody) {
        guard let stream = body.stream else { return }
        let chunk = body.bytes
        body.bytes = []
        body.waiting = true
        connection.pauseReading()
        let responder = HTTPResponder(session: self, serial: serial)
        stream.write(chunk) { responder.streamReady() }
    }

    /// Called on the loop thread when the stream took the last chunk.
    func streamReady(serial: UInt64) {
        guard serial == self.serial, case .body = state, var body = incoming, body.waiting else { return }
        body.waiting = false
        if body.ended {
            incoming = nil
            finishBody(body)
        } else {
            incoming = body
            connection.resumeReading()
        }
    }

    private func failBody(_ body: IncomingBody, status: Int, code: StaticString, message: StaticString) {
        body.stream?.abort()
        fail(status: status, code: code, message: message)
    }

    private func finishBody(_ body: IncomingBody) {
        guard let head = savedHeadValue else { return }
        savedHeadValue = nil
        savedHead.withUnsafeBytes { headBytes in
            dispatch(HTTPRequest(head: head, buffer: headBytes, headers: headers, body: body.bytes,
                                 id: savedRequestID, peer: connection.peer, client: savedClient,
                                 stream: body.stream), to: body.exchange)
        }
    }

    // MARK: Responding

    private func dispatch(_ request: HTTPRequest, to exchange: any HTTPExchange) {
        state = .awaitingResponse
        connection.deadline = 0
        headStarted = false
        pending = (request.method, request.head.keepAlive && !shuttingDown, request.id, request.head.minorVersion)
        requestStart = Clock.monotonicNanoseconds()
        exchange.respond(to: request, responder: HTTPResponder(session: self, serial: serial))
        switch state {
        case .awaitingResponse, .streamingResponse: connection.pauseReading()
        default: break
        }
    }

    /// Called on the loop thread by `HTTPResponder`.
    func respond(_ response: HTTPResponse, serial: UInt64) {
        guard serial == self.serial, let pending, !connection.isClosed else { return }
        self.pending = nil
        let keepAlive = pending.keepAlive && !response.closeConnection && !readClosed && !shuttingDown
        write(response, method: pending.method, keepAlive: keepAlive, requestID: pending.id,
              minorVersion: pending.minorVersion)
        context.metrics.response(status: response.status, nanoseconds: Clock.monotonicNanoseconds() - requestStart)
        if case .stream(let length, let stream) = response.body {
            guard pending.method != .head, length > 0 else {
                stream.close()
                finishResponse(keepAlive: keepAlive)
                return
            }
            outgoing = OutgoingBody(stream: stream, remaining: length, keepAlive: keepAlive)
            state = .streamingResponse
            connection.onDrained = { [unowned self] in pullResponseChunk() }
            pullResponseChunk()
            return
        }
        finishResponse(keepAlive: keepAlive)
    }

    /// Asks the stream for its next chunk unless one is on its way or enough is queued.
    private func pullResponseChunk() {
        guard var body = outgoing, !body.reading, connection.queuedBytes < OutgoingBody.lowWater else { return }
        body.reading = true
        outgoing = body
        let responder = HTTPResponder(session: self, serial: serial)
        body.stream.read { chunk in responder.deliverChunk(chunk) }
    }

    /// Called on the loop thread with the stream's next chunk.
    func receiveResponseChunk(_ chunk: [UInt8]?, serial: UInt64) {
        guard serial == self.serial, var body = outgoing else { return }
        body.reading = false
        guard let chunk, !chunk.isEmpty, chunk.count <= body.remaining else {
            // The stream ended short of (or past) its promised length: the framing is broken.
            outgoing = nil
            body.stream.close()
            connection.close(.protocolError)
            return
        }
        body.remaining -= chunk.count
        chunk.withUnsafeBytes { connection.send($0) }
        guard body.remaining == 0 else {
            outgoing = body
            pullResponseChunk()
            return
        }
        outgoing = nil
        connection.onDrained = nil
        body.stream.close()
        finishResponse(keepAlive: body.keepAlive)
    }

    private func finishResponse(keepAlive: Bool) {
        if keepAlive {
            state = .head
            armKeepAliveDeadline()
            connection.resumeReading()
        } else {
            // Pipelined requests may still be unread: linger, or the kernel's reset could
            // destroy this very response before the client reads it.
            state = .closing
            connection.closeAfterFlush(linger: true)
            connection.deadline = context.loop.now + Self.lingerMilliseconds
        }
    }

    /// Called on the loop thread by `HTTPResponder.upgrade`.
    func upgrade(_ acceptance: WebSocketAcceptance, handler: WebSocketHandler, configuration: WebSocketConfiguration,
                 serial: UInt64) {
        guard serial == self.serial, pending != nil, !connection.isClosed else { return }
        pending = nil
        state = .upgraded
        let head = WebSocketHandshake.responseHead(accept: acceptance.accept, extensions: acceptance.deflate?.responseValue)
        connection.send { $0.append(contentsOf: head) }
        context.metrics.response(status: 101, nanoseconds: Clock.monotonicNanoseconds() - requestStart)
        let socket = WebSocketConnection(connection: connection, handler: handler, configuration: configuration,
                                         deflate: acceptance.deflate, context: context)
        connection.delegate = socket
        connection.resumeReading()
        handler.webSocketOpened(socket)
    }

    private func write(_ response: HTTPResponse, method: HTTPMethod, keepAlive: Bool, requestID: UInt64,
                       minorVersion: UInt8 = 1) {
        let date = context.dates.current()
        let fixedHeaders = context.configuration.fixedResponseHeaders
        connection.send { out in
            response.encode(into: &out, date: date, keepAlive: keepAlive, requestID: requestID,
                            minorVersion: minorVersion, withBody: method != .head, fixedHeaders: fixedHeaders)
        }
    }

    /// Answers a request that cannot be processed, then closes: after a framing error the
    /// rest of the stream cannot be trusted.
    private func fail(status: Int, code: StaticString, message: StaticString) {
        incoming?.stream?.abort()
        incoming = nil
        serial &+= 1
        pending = nil
        state = .closing
        let body = ErrorBody.json(code: code, message: message)
        write(HTTPResponse(status: status, contentType: "application/json", body: .bytes(body)),
              method: .get, keepAlive: false, requestID: context.nextRequestID())
        context.metrics.response(status: status, nanoseconds: 0)
        connection.closeAfterFlush(linger: true)
        connection.deadline = context.loop.now + Self.lingerMilliseconds
    }

    private func armKeepAliveDeadline() {
        connection.deadline = context.loop.now + context.configuration.keepAliveTimeoutMilliseconds
    }

    private var continueLine: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: Self.continueText.utf8Start, count: Self.continueText.utf8CodeUnitCount)
    }

    /// How long a rejected client may go on sending before the socket is closed anyway.
    private static let lingerMilliseconds: Int64 = 2_000

    private static let continueText: StaticString = "HTTP/1.1 100 Continue\r\n\r\n"
}
