import PaceTLS

/// A blocking HTTPS (or WSS, under `WebSocketTestClient`) client for end-to-end tests: a
/// loopback `TestClient` carrying a client `TLSEngine`. The handshake finishes in `init`.
package final class TLSTestClient: TestConnection {
    package let socket: TestClient
    package let engine: TLSEngine
    private var plaintext: [UInt8] = []
    private var ended = false

    /// Connects to `port`, sends `preamble` in clear (a PROXY protocol header), and handshakes,
    /// trusting only the certificate at `trusting`; throws when the handshake fails (an
    /// untrusted certificate, a closed connection).
    package init(port: UInt16, trusting certificate: String, timeoutSeconds: Int = 5, preamble: [UInt8] = []) throws {
        socket = try TestClient(port: port, timeoutSeconds: timeoutSeconds)
        if !preamble.isEmpty { socket.send(preamble) }
        engine = try TLSClientContext(trusting: certificate).makeEngine(host: "localhost")
        try engine.handshake()
        flush()
        while !engine.isEstablished {
            guard let bytes = socket.receive() else { throw TLSTestClientError.handshakeEnded }
            try bytes.withUnsafeBytes { try engine.feed($0) }
            try engine.handshake()
            flush()
        }
    }

    private func flush() {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while engine.pendingCiphertext > 0 {
            let count = buffer.withUnsafeMutableBytes { engine.takeCiphertext(into: $0) }
            socket.send(Array(buffer[0..<count]))
        }
    }

    package func send(_ bytes: [UInt8]) {
        guard (try? bytes.withUnsafeBytes { try engine.encrypt($0) }) != nil else { return }
        flush()
    }

    /// Sends close_notify.
    package func close() {
        engine.close()
        flush()
    }

    package func readResponse(headRequest: Bool = false) -> TestResponse? {
        while true {
            if let response = ResponseFraming.take(from: &plaintext, headRequest: headRequest, ended: false) {
                return response
            }
            guard readMore() else { return ResponseFraming.take(from: &plaintext, headRequest: headRequest, ended: true) }
        }
    }

    package func takeBuffered() -> [UInt8] {
        defer { plaintext = [] }
        return plaintext
    }

    package func readsEOF() -> Bool {
        plaintext.isEmpty && !readMore()
    }

    package func receive() -> [UInt8]? {
        if plaintext.isEmpty && !readMore() { return nil }
        return takeBuffered()
    }

    /// Decrypts more plaintext, reading the socket as needed; false at the end or on timeout.
    private func readMore() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !ended {
            // Nil for close_notify and for a failure alike: either way nothing more comes.
            guard let count = try? buffer.withUnsafeMutableBytes({ try engine.decrypt(into: $0) }) else {
                ended = true
                return false
            }
            flush()
            if count > 0 {
                plaintext += buffer[0..<count]
                return true
            }
            guard let bytes = socket.receive(),
                  (try? bytes.withUnsafeBytes { try engine.feed($0) }) != nil else {
                ended = true
                return false
            }
        }
        return false
    }
}

package enum TLSTestClientError: Error { case handshakeEnded }
