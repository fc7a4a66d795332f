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
        /// Reading a body into `body`; the head was copied to `savedHead`.
        case body(BodyDecoder)
        /// The handler has the request; nothing more is read until it answers.
        case awaitingResponse
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
    private var body: [UInt8] = []
    private var bodyLimit = 0
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
        connection.closeAfterFlush()
    }

    func connectionDeadlinePassed(_ connection: Connection) {
        switch state {
        case .head where !headStarted:
            connection.close(.timeout)
        case .head, .body:
            fail(status: 408, code: "request_timeout", message: "The request was not received in time.")
        case .awaitingResponse, .closing, .upgraded:
            break
        }
    }

    func connectionShutdownRequested(_ connection: Connection) {
        shuttingDown = true
        if case .awaitingResponse = state { return }
        if case .head = state, !headStarted { connection.closeAfterFlush() }
    }

    func connectionClosed(_ connection: Connection) {
        serial &+= 1
        context.connectionClosed(connection)
    }

    // MARK: Parsing

    private var headStarted = false

    /// Handles bytes at the start of `rest`; returns how many were consumed, or nil to stop
    /// reading this buffer (need more bytes, or waiting on the handler, or closing).
    private func advance(_ rest: UnsafeRawBufferPointer) -> Int? {
        switch state {
        case .head: return parseHead(rest)
        case .body(var decoder): return readBody(rest, &decoder)
        case .awaitingResponse, .closing, .upgraded: return nil
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
        let view = HTTPRequest(head: head, buffer: rest, headers: headers, body: UnsafeRawBufferPointer(start: nil, count: 0),
                               id: context.nextRequestID(), peer: connection.peer)
        guard head.isChunked || (head.contentLength ?? 0) > 0 else {
            dispatch(view)
            return head.byteCount
        }
        bodyLimit = context.handler.bodyLimit(for: view)
        if let length = head.contentLength, length > bodyLimit {
            fail(status: 413, code: "payload_too_large", message: "The request body is larger than this route accepts.")
            return nil
        }
        if head.expectContinue { connection.send(continueLine) }
        savedHead.removeAll(keepingCapacity: true)
        savedHead.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<head.byteCount]))
        savedHeadValue = head
        body.removeAll(keepingCapacity: true)
        state = .body(head.isChunked ? BodyDecoder(chunkedWithMaxBodyBytes: bodyLimit, limits: context.configuration.limits)
                                     : BodyDecoder(contentLength: head.contentLength ?? 0))
        connection.deadline = context.loop.now + context.configuration.bodyTimeoutMilliseconds
        return head.byteCount
    }

    private func readBody(_ rest: UnsafeRawBufferPointer, _ decoder: inout BodyDecoder) -> Int? {
        var consumed = 0
        while true {
            let window = UnsafeRawBufferPointer(rebasing: rest[consumed...])
            switch decoder.decode(window) {
            case .data(let range):
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: window[range]))
                consumed += range.upperBound
                if body.count > bodyLimit {
                    fail(status: 413, code: "payload_too_large", message: "The request body is larger than this route accepts.")
                    return nil
                }
            case .needMore(let used):
                state = .body(decoder)
                connection.deadline = context.loop.now + context.configuration.bodyTimeoutMilliseconds
                return consumed + used > 0 ? consumed + used : nil
            case .end(let used):
                consumed += used
                finishBody()
                return consumed
            case .failure(let error):
                fail(status: error.status, code: error.code, message: error.message)
                return nil
            }
        }
    }

    private func finishBody() {
        guard let head = savedHeadValue else { return }
        savedHeadValue = nil
        savedHead.withUnsafeBytes { headBytes in
            body.withUnsafeBytes { bodyBytes in
                dispatch(HTTPRequest(head: head, buffer: headBytes, headers: headers, body: bodyBytes,
                                     id: context.nextRequestID(), peer: connection.peer))
            }
        }
    }

    // MARK: Responding

    private func dispatch(_ request: HTTPRequest) {
        state = .awaitingResponse
        connection.deadline = 0
        headStarted = false
        pending = (request.method, request.head.keepAlive && !shuttingDown, request.id, request.head.minorVersion)
        requestStart = Clock.monotonicNanoseconds()
        context.handler.handle(request, responder: HTTPResponder(session: self, serial: serial))
        if case .awaitingResponse = state { connection.pauseReading() }
    }

    /// Called on the loop thread by `HTTPResponder`.
    func respond(_ response: HTTPResponse, serial: UInt64) {
        guard serial == self.serial, let pending, !connection.isClosed else { return }
        self.pending = nil
        let keepAlive = pending.keepAlive && !response.closeConnection && !readClosed && !shuttingDown
        write(response, method: pending.method, keepAlive: keepAlive, requestID: pending.id,
              minorVersion: pending.minorVersion)
        context.metrics.response(status: response.status, nanoseconds: Clock.monotonicNanoseconds() - requestStart)
        if keepAlive {
            state = .head
            armKeepAliveDeadline()
            connection.resumeReading()
        } else {
            state = .closing
            connection.closeAfterFlush()
        }
    }

    /// Called on the loop thread by `HTTPResponder.upgrade`.
    func upgrade(accept: String, handler: WebSocketHandler, configuration: WebSocketConfiguration, serial: UInt64) {
        guard serial == self.serial, pending != nil, !connection.isClosed else { return }
        pending = nil
        state = .upgraded
        connection.send { $0.append(contentsOf: WebSocketHandshake.responseHead(accept: accept)) }
        context.metrics.response(status: 101, nanoseconds: Clock.monotonicNanoseconds() - requestStart)
        let socket = WebSocketConnection(connection: connection, handler: handler, configuration: configuration,
                                         context: context)
        connection.delegate = socket
        connection.resumeReading()
        handler.webSocketOpened(socket)
    }

    private func write(_ response: HTTPResponse, method: HTTPMethod, keepAlive: Bool, requestID: UInt64,
                       minorVersion: UInt8 = 1) {
        let date = context.dates.current()
        connection.send { out in
            let head = ResponseHead(status: response.status, contentLength: response.body.count,
                                    closeConnection: !keepAlive, announceKeepAlive: minorVersion == 0)
            head.appendStart(to: &out, date: date)
            if let contentType = response.contentType {
                ResponseHead.appendHeader("Content-Type", contentType, to: &out)
            }
            for header in response.headers {
                ResponseHead.appendHeader(name: header.name, value: header.value, to: &out)
            }
            out.append(contentsOf: "X-Request-Id: ".utf8)
            RequestID.appendHex(requestID, to: &out)
            ResponseHead.appendEnd(to: &out)
            ResponseHead.appendEnd(to: &out)
            guard method != .head else { return }
            switch response.body {
            case .empty: break
            case .bytes(let bytes): out.append(contentsOf: bytes)
            case .text(let text): text.withUTF8Buffer { out.append(contentsOf: $0) }
            }
        }
    }

    /// Answers a request that cannot be processed, then closes: after a framing error the
    /// rest of the stream cannot be trusted.
    private func fail(status: Int, code: StaticString, message: StaticString) {
        serial &+= 1
        pending = nil
        state = .closing
        let body = ErrorBody.json(code: code, message: message)
        write(HTTPResponse(status: status, contentType: "application/json", body: .bytes(body)),
              method: .get, keepAlive: false, requestID: context.nextRequestID())
        context.metrics.response(status: status, nanoseconds: 0)
        connection.closeAfterFlush()
    }

    private func armKeepAliveDeadline() {
        connection.deadline = context.loop.now + context.configuration.keepAliveTimeoutMilliseconds
    }

    private var continueLine: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: Self.continueText.utf8Start, count: Self.continueText.utf8CodeUnitCount)
    }

    private static let continueText: StaticString = "HTTP/1.1 100 Continue\r\n\r\n"
}
