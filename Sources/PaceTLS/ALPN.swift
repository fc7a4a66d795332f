internal import CSSL

/// Application-Layer Protocol Negotiation (RFC 7301): Pace speaks only HTTP/1.1.
package enum ALPN {
    /// The wire form of Pace's one protocol: a length byte, then "http/1.1".
    package static let http11: [UInt8] = [8] + Array("http/1.1".utf8)

    /// Where "http/1.1" starts in a client's protocol list (length-prefixed names), or nil when
    /// the client did not offer it or the list is malformed.
    package static func offsetOfHTTP11(in offered: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index < offered.count {
            let length = Int(offered[index])
            let start = index + 1
            guard length > 0, start + length <= offered.count else { return nil }
            if length == 8 && offered[start..<start + length].elementsEqual(http11.dropFirst()) { return start }
            index = start + length
        }
        return nil
    }
}

/// Chooses http/1.1 when offered. A client that offers only other protocols (h2 alone) gets no
/// ALPN answer rather than a no_application_protocol alert: the handshake completes and the
/// client decides, which lets a lenient h2 client fall back to HTTP/1.1 instead of failing.
/// The selection points into the client's list, which OpenSSL keeps until it copies it.
let alpnSelectCallback: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { _, selected, selectedLength, offered, offeredLength, _ in
    guard let selected, let selectedLength, let offered,
          let start = ALPN.offsetOfHTTP11(in: UnsafeRawBufferPointer(start: offered, count: Int(offeredLength)))
    else { return SSL_TLSEXT_ERR_NOACK }
    selected.pointee = offered + start
    selectedLength.pointee = 8
    return SSL_TLSEXT_ERR_OK
}
