internal import CSSL
import PaceCrypto

/// One TLS connection as a state machine over two memory BIOs: no socket, no blocking call.
/// Ciphertext from the network goes in with `feed`; plaintext comes out of `decrypt`. Plaintext
/// to send goes in with `encrypt`; the records it makes (and handshake messages, alerts and
/// close_notify) come out of `takeCiphertext`. After every call the caller sends whatever
/// `pendingCiphertext` reports; the write side is memory, so OpenSSL never wants to write.
///
/// Buffer ownership: every call copies. `feed` and `encrypt` copy the caller's bytes into the
/// engine before they return; `decrypt` and `takeCiphertext` copy into the caller's buffer.
/// The engine owns its SSL object and both BIOs; the SSL object holds a reference on its
/// SSL_CTX and the engine one on the Swift context, so a reloaded context never pulls either
/// from under a live connection. Not thread-safe: one engine lives on one loop thread.
package final class TLSEngine {
    private let ssl: OpaquePointer
    private let isServer: Bool
    /// Keeps the context (and the ticket keys its callback reaches) alive while SSL uses it.
    private let context: AnyObject
    private var screenedFirstByte = false
    private var sentCloseNotify = false
    /// Set when the handshake finishes; OpenSSL forgets it once a fatal error hits.
    private var handshakeCompleted = false
    /// The error that ended the connection; every later call throws it again.
    private var failure: TLSError?

    /// Memory BIO buffers larger than this are dropped once drained, so a connection that once
    /// carried a large record idles small; smaller ones are kept to save a malloc per record.
    private static let retainedBufferBytes = 4096

    init(ssl: OpaquePointer, isServer: Bool, context: AnyObject) {
        self.ssl = ssl
        self.isServer = isServer
        self.context = context
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else { libraryFault("BIO_new") }
        SSL_set_bio(ssl, input, output)
        if isServer { SSL_set_accept_state(ssl) } else { SSL_set_connect_state(ssl) }
    }

    deinit {
        SSL_free(ssl)
    }

    // MARK: State

    /// True for the client side of a connection, which speaks first.
    package var isClient: Bool { !isServer }
    /// True once the handshake has finished.
    package var isEstablished: Bool { handshakeCompleted && failure == nil }
    /// Ciphertext waiting for `takeCiphertext`.
    package var pendingCiphertext: Int { Int(BIO_ctrl_pending(SSL_get_wbio(ssl))) }
    /// Decrypted bytes `decrypt` can return without more input, or received ciphertext not yet
    /// processed: a readiness source the socket does not know about.
    package var hasBufferedInput: Bool {
        SSL_has_pending(ssl) == 1 || BIO_ctrl_pending(SSL_get_rbio(ssl)) > 0
    }
    /// Bytes the two memory BIOs hold allocated, for checking that idle connections stay small.
    package var bufferCapacity: Int {
        pace_bio_mem_capacity(SSL_get_rbio(ssl)) + pace_bio_mem_capacity(SSL_get_wbio(ssl))
    }
    /// True once the peer's close_notify has been read.
    package var receivedCloseNotify: Bool { SSL_get_shutdown(ssl) & SSL_RECEIVED_SHUTDOWN != 0 }
    /// The ALPN protocol both sides agreed on, if any.
    package var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }
    /// "TLSv1.3" or "TLSv1.2" once established.
    package var protocolVersion: String { String(cString: SSL_get_version(ssl)) }
    /// True when the handshake resumed a session from a ticket.
    package var resumedSession: Bool { SSL_session_reused(ssl) == 1 }

    // MARK: Input

    /// Takes ciphertext received from the peer. Throws at once on a first byte that cannot
    /// start a TLS connection, before any of it reaches OpenSSL.
    package func feed(_ ciphertext: UnsafeRawBufferPointer) throws(TLSError) {
        if let failure { throw failure }
        guard let base = ciphertext.baseAddress, !ciphertext.isEmpty else { return }
        if isServer && !screenedFirstByte {
            screenedFirstByte = true
            try screen(firstByte: ciphertext[0])
        }
        var written = 0
        guard BIO_write_ex(SSL_get_rbio(ssl), base, ciphertext.count, &written) == 1 else {
            libraryFault("BIO_write_ex")
        }
    }

    /// Advances the handshake with the input fed so far; true once it has finished.
    @discardableResult
    package func handshake() throws(TLSError) -> Bool {
        if let failure { throw failure }
        if isEstablished { return true }
        OpenSSLErrors.clear()
        let result = SSL_do_handshake(ssl)
        noteHandshake()
        if result == 1 { return true }
        try classify(result)
        return false
    }

    /// Decrypts into `buffer`, finishing the handshake first if needed. Returns the plaintext
    /// byte count, 0 when more input is needed, or nil once the peer's close_notify arrived.
    package func decrypt(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> Int? {
        if let failure { throw failure }
        if receivedCloseNotify { return nil }
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        OpenSSLErrors.clear()
        var count = 0
        let result = SSL_read_ex(ssl, base, buffer.count, &count)
        noteHandshake()
        if result == 1 { return count }
        if SSL_get_error(ssl, result) == SSL_ERROR_ZERO_RETURN { return nil }
        try classify(result)
        releaseDrainedBuffer(SSL_get_rbio(ssl), replace: SSL_set0_rbio)
        return 0
    }

    /// The peer's stream ended. Returns normally when its close_notify came first; otherwise
    /// throws `.truncatedHandshake` or `.unexpectedEOF`. Call after `decrypt` has drained all
    /// input, so every authentic byte has been delivered.
    package func endOfInput() throws(TLSError) {
        if let failure { throw failure }
        if receivedCloseNotify { return }
        let ending: TLSError = isEstablished ? .unexpectedEOF : .truncatedHandshake
        failure = ending
        throw ending
    }

    // MARK: Output

    /// Encrypts all of `plaintext` into records waiting in `pendingCiphertext`.
    package func encrypt(_ plaintext: UnsafeRawBufferPointer) throws(TLSError) {
        if let failure { throw failure }
        if sentCloseNotify { throw .closed }
        guard isEstablished else { throw .handshakeIncomplete }
        guard let base = plaintext.baseAddress, !plaintext.isEmpty else { return }
        OpenSSLErrors.clear()
        var written = 0
        let result = SSL_write_ex(ssl, base, plaintext.count, &written)
        if result == 1 { return }
        try classify(result)
    }

    /// Queues close_notify (once; nothing before the handshake has finished or after a failure).
    package func close() {
        guard failure == nil, !sentCloseNotify, isEstablished else { return }
        sentCloseNotify = true
        OpenSSLErrors.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrors.clear()
    }

    /// Moves up to `buffer.count` bytes of pending ciphertext into `buffer`; returns the count.
    package func takeCiphertext(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty, pendingCiphertext > 0 else { return 0 }
        var count = 0
        guard BIO_read_ex(SSL_get_wbio(ssl), base, buffer.count, &count) == 1 else { return 0 }
        releaseDrainedBuffer(SSL_get_wbio(ssl), replace: SSL_set0_wbio)
        return count
    }

    // MARK: Internals

    /// A new reference on the engine's session, for `TLSSession`.
    func sslSession() -> OpaquePointer? { SSL_get1_session(ssl) }

    private func noteHandshake() {
        if !handshakeCompleted && SSL_is_init_finished(ssl) == 1 { handshakeCompleted = true }
    }

    private func screen(firstByte: UInt8) throws(TLSError) {
        let handshakeRecord: UInt8 = 0x16
        guard firstByte != handshakeRecord else { return }
        let ending: TLSError = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(firstByte) ? .plaintextHTTP : .notTLS
        failure = ending
        throw ending
    }

    /// Returns for want-read (and want-write, which a memory BIO never causes but which only
    /// asks the caller to send pending ciphertext); records and throws anything else.
    private func classify(_ result: Int32) throws(TLSError) {
        let code = SSL_get_error(ssl, result)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return }
        let ending: TLSError
        if code == SSL_ERROR_ZERO_RETURN {
            ending = .closed
        } else {
            let detail = OpenSSLErrors.take()
            ending = handshakeCompleted ? .protocolViolation(detail) : .handshakeFailed(detail)
        }
        failure = ending
        throw ending
    }

    /// Swaps an empty BIO whose buffer grew past `retainedBufferBytes` for a fresh one; SSL
    /// frees the old one. SSL_MODE_RELEASE_BUFFERS does the same for SSL's record buffers.
    private func releaseDrainedBuffer(_ bio: OpaquePointer?, replace: (OpaquePointer?, OpaquePointer?) -> Void) {
        guard let bio, BIO_ctrl_pending(bio) == 0,
              pace_bio_mem_capacity(bio) > Self.retainedBufferBytes,
              let fresh = BIO_new(BIO_s_mem()) else { return }
        replace(ssl, fresh)
    }
}
