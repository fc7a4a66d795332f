import PaceHTTP
import PaceLoop

/// One client connection to one origin, carrying one request at a time. Confined to the
/// client's loop thread; `HTTPClient` keeps it idle between requests for reuse.
final class ClientExchange: ConnectionDelegate {
    let origin: String
    let connection: Connection
    /// The TLS layer under `connection` for `https`, asked why a connection ended before any answer.
    private let tls: TLSTransport?
    private var parser = ResponseParser()
    private var completion: ((Result<ClientResponse, HTTPClientError>) -> Void)?
    private var timer: TimerID?
    /// Called when the connection closes while idle, so the client forgets it.
    var onIdleClose: ((ClientExchange) -> Void)?
    private var receivedAny = false

    init(origin: String, connection: Connection, tls: TLSTransport?) {
        self.origin = origin
        self.connection = connection
        self.tls = tls
    }

    /// Sends `bytes` and reads one response within `timeoutMilliseconds`.
    func start(_ bytes: [UInt8], maxBodyBytes: Int, timeoutMilliseconds: Int64,
               completion: @escaping (Result<ClientResponse, HTTPClientError>) -> Void) {
        parser = ResponseParser(maxBodyBytes: maxBodyBytes)
        receivedAny = false
        self.completion = completion
        timer = connection.loop.schedule(after: timeoutMilliseconds) { [weak self] in
            self?.timer = nil
            self?.fail(.timedOut)
        }
        bytes.withUnsafeBytes { connection.send($0) }
    }

    var isBusy: Bool { completion != nil }

    func connection(_ connection: Connection, received bytes: UnsafeRawBufferPointer) -> Int {
        guard completion != nil else {
            // Bytes nobody asked for: the connection is out of step and not reusable.
            connection.close(.protocolError)
            return bytes.count
        }
        receivedAny = true
        switch parser.parse(bytes) {
        case .needMore:
            return bytes.count
        case .complete(let response, let consumed):
            finish(.success(response), reuse: response.reusable && consumed == bytes.count)
            return bytes.count
        case .failed:
            fail(.invalidResponse)
            return bytes.count
        }
    }

    func connectionReadClosed(_ connection: Connection) {
        if completion != nil, receivedAny, case .complete(let response, _) = parser.finish() {
            finish(.success(response), reuse: false)
        } else {
            fail(endedBeforeAnswer)
        }
    }

    /// Why the connection ended: a malformed answer, a refused TLS handshake, or no connection.
    private var endedBeforeAnswer: HTTPClientError {
        if receivedAny { return .invalidResponse }
        return tls?.refusedHandshake == true ? .tlsHandshake : .connectFailed
    }

    func connectionDeadlinePassed(_ connection: Connection) { fail(.timedOut) }

    func connectionShutdownRequested(_ connection: Connection) { fail(.shuttingDown) }

    func connectionClosed(_ connection: Connection) {
        if completion != nil {
            fail(endedBeforeAnswer)
        } else {
            onIdleClose?(self)
        }
    }

    private func fail(_ error: HTTPClientError) {
        finish(.failure(error), reuse: false)
    }

    private func finish(_ result: Result<ClientResponse, HTTPClientError>, reuse: Bool) {
        guard let completion else { return }
        self.completion = nil
        if let timer { connection.loop.cancel(timer) }
        timer = nil
        if !reuse { connection.close(.normal) }
        completion(result)
    }
}
