#if canImport(Glibc)
import Glibc
#endif
import CShims
import PaceLoop
import PaceSystem
import PaceTLS

/// The handshake phase: driven by the inner transport's readiness, one inner read per report,
/// with the loop's scratch buffer for the ClientHello and the replies. The connection hears
/// nothing until the handshake is done, or has failed.
extension TLSTransport {
    func advanceHandshake() {
        guard let scratch = shared?.scratch else { return }
        let count: Int
        switch inner.read(into: scratch) {
        case .done(0):
            endHandshake(SystemError("TLS handshake", code: ECONNRESET), .abandoned)
            return
        case .done(let read): count = read
        case .wouldBlock: return
        case .failed(let error):
            endHandshake(error, .abandoned)
            return
        }
        let finished: Bool
        do throws(TLSError) {
            try engine.feed(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            finished = try engine.handshake()
        } catch .plaintextHTTP {
            rejectPlainHTTP()
            return
        } catch {
            // OpenSSL may have queued an alert that tells the peer why.
            _ = flushCiphertext()
            endHandshake(SystemError("TLS handshake", code: EPROTO), .failed)
            return
        }
        if case .failed(let error) = flushCiphertext() {
            endHandshake(error, .abandoned)
            return
        }
        if finished { establish() } else { armForCiphertextOrFail() }
    }

    /// Queues the ClientHello; it leaves once the inner transport can take it.
    func startClientHandshake() throws(SystemError) {
        do throws(TLSError) {
            _ = try engine.handshake()
        } catch {
            throw fail(SystemError("TLS handshake", code: EPROTO))
        }
        if case .failed(let error) = flushCiphertext() { throw fail(error) }
        try updateInnerInterest()
    }

    /// Sends the rest of a handshake flight the inner transport could not take at once.
    func flushHandshake() {
        if case .failed(let error) = flushCiphertext() {
            endHandshake(error, .abandoned)
            return
        }
        armForCiphertextOrFail()
    }

    private func establish() {
        releaseHandshakeSlot()
        environment.statistics.count(.completed)
        if engine.resumedSession { environment.statistics.count(.resumed) }
        phase = .established
        armForCiphertextOrFail()
        // A request sent right behind the client's Finished is already in the engine.
        if isEstablished && engine.hasBufferedInput { reportPlaintext() }
    }

    func handshakeTimedOut() {
        switch phase {
        case .handshaking: endHandshake(SystemError("TLS handshake", code: ETIMEDOUT), .timedOut)
        case .rejecting: endHandshake(SystemError("TLS handshake", code: ETIMEDOUT), nil)
        default: break
        }
    }

    /// Ends the connection during the handshake; `outcome` is counted (nil: already counted).
    private func endHandshake(_ error: SystemError, _ outcome: TLSStatistics.Outcome?) {
        if let outcome { environment.statistics.count(outcome) }
        if outcome == .failed { refusedHandshake = true }
        fail(error)
        reportFailure()
    }

    private func armForCiphertextOrFail() {
        do throws(SystemError) {
            try updateInnerInterest()
        } catch {
            endHandshake(error, .abandoned)
        }
    }

    // MARK: Plain HTTP on the TLS port

    /// The answer nginx gives, so someone who typed http:// for an https:// address learns why.
    static let plainHTTPResponse: [UInt8] = {
        let body = "The plain HTTP request was sent to the HTTPS port.\n"
        return Array(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
    }()

    /// Answers in plain text (one write, best effort: it is far smaller than a socket buffer),
    /// shuts the write side and reads the rest of the request until the peer closes or the
    /// handshake deadline passes: closing with unread input would reset the connection and
    /// destroy the answer.
    private func rejectPlainHTTP() {
        environment.statistics.count(.plainHTTP)
        _ = Self.plainHTTPResponse.withUnsafeBytes { writeInner($0) }
        inner.shutdownWrite()
        phase = .rejecting
    }

    func discardRejected() {
        guard let scratch = shared?.scratch else { return }
        switch inner.read(into: scratch) {
        case .done(0): endHandshake(SystemError("TLS handshake", code: ECONNRESET), nil)
        case .failed(let error): endHandshake(error, nil)
        case .done, .wouldBlock: break
        }
    }
}
