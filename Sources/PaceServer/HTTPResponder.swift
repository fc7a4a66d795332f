import PaceLoop

/// Sends the response to one request, from any thread, exactly once.
///
/// `@unchecked Sendable`: it carries the session, which is confined to its loop; `send` only
/// touches the session on that loop (directly when already there, else via `execute`).
package struct HTTPResponder: @unchecked Sendable {
    let session: HTTPSession
    let serial: UInt64
    /// Held strongly: an answer may come from another thread after the server stopped, and
    /// must then land in a queue that is never run rather than in freed memory.
    let loop: EventLoop

    init(session: HTTPSession, serial: UInt64) {
        self.session = session
        self.serial = serial
        loop = session.connection.loop
    }

    /// Answers 101 and hands the connection to `handler` as a WebSocket. Loop thread only:
    /// call it from the synchronous part of `HTTPHandler.handle`.
    package func upgrade(_ acceptance: WebSocketAcceptance, handler: WebSocketHandler,
                         configuration: WebSocketConfiguration) {
        session.upgrade(acceptance, handler: handler, configuration: configuration, serial: serial)
    }

    /// `upgrade` decided off the loop (after a store read): hops to the loop, where `handler`
    /// is made. Nothing happens if the connection closed meanwhile.
    package func upgradeLater(_ acceptance: WebSocketAcceptance, configuration: WebSocketConfiguration,
                              handler: @escaping @Sendable () -> WebSocketHandler) {
        loop.execute { [self] in
            session.upgrade(acceptance, handler: handler(), configuration: configuration, serial: serial)
        }
    }

    /// Always through the loop's queue, even from the loop thread: a stream may call its
    /// `ready` from inside `write`, while the session is still handing the chunk over.
    func streamReady() {
        loop.execute { [self] in session.streamReady(serial: serial) }
    }

    func deliverChunk(_ chunk: [UInt8]?) {
        loop.execute { [self] in session.receiveResponseChunk(chunk, serial: serial) }
    }

    package func send(_ response: HTTPResponse) {
        if loop.isOnLoopThread {
            session.respond(response, serial: serial)
        } else {
            loop.execute { [self] in session.respond(response, serial: serial) }
        }
    }
}
