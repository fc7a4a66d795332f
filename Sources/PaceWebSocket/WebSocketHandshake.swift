/// The server's opening handshake (RFC 6455 section 4.2), kept pure: SHA-1 and base64 are
/// passed in, so this module needs neither libcrypto nor Foundation.
package enum WebSocketHandshake {
    /// Appended to the client's key before hashing (section 1.3).
    package static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Checks an upgrade request and returns its `Sec-WebSocket-Key`, trimmed, for
    /// `acceptValue`.
    /// - Parameters:
    ///   - isGet: whether the method is GET.
    ///   - isHTTP11OrLater: whether the request line says HTTP/1.1 (or later).
    ///   - fieldValues: the values of every field line with the given name (any case), in
    ///     order; the pointers need only stay valid for the duration of the call.
    package static func validate(
        isGet: Bool, isHTTP11OrLater: Bool,
        fieldValues: (StaticString) -> [UnsafeRawBufferPointer]
    ) throws(WebSocketHandshakeError) -> [UInt8] {
        guard isGet else { throw .methodNotGet }
        guard isHTTP11OrLater else { throw .httpVersionTooOld }
        guard fieldValues("Upgrade").contains(where: { HeaderTokens.list($0, contains: "websocket") }) else {
            throw .missingUpgradeWebSocket
        }
        guard fieldValues("Connection").contains(where: { HeaderTokens.list($0, contains: "upgrade") }) else {
            throw .missingConnectionUpgrade
        }
        let versions = fieldValues("Sec-WebSocket-Version")
        guard versions.count == 1, HeaderTokens.trimmed(versions[0]).elementsEqual("13".utf8) else {
            throw .unsupportedVersion
        }
        let keys = fieldValues("Sec-WebSocket-Key")
        guard keys.count == 1 else { throw .invalidKey }
        let key = Array(HeaderTokens.trimmed(keys[0]))
        guard isBase64Of16Bytes(key) else { throw .invalidKey }
        return key
    }

    /// The `Sec-WebSocket-Accept` value for `key`: base64(SHA-1(key + GUID)).
    package static func acceptValue(
        key: [UInt8], sha1: ([UInt8]) -> [UInt8], base64: ([UInt8]) -> String
    ) -> String {
        base64(sha1(key + Array(acceptGUID.utf8)))
    }

    /// The complete 101 response head, final blank line included. No subprotocol is ever
    /// agreed; `extensions` is the agreed extension (permessage-deflate) or nil, in which case
    /// a peer setting any RSV bit fails as the RFC requires.
    package static func responseHead(accept: String, extensions: String? = nil) -> [UInt8] {
        Array((
            "HTTP/1.1 101 Switching Protocols\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: \(accept)\r\n" +
            (extensions.map { "Sec-WebSocket-Extensions: \($0)\r\n" } ?? "") +
            "\r\n"
        ).utf8)
    }

    /// Whether `key` is 24 base64 characters decoding to 16 bytes: 22 symbols and `==`.
    /// Only the shape is checked; the key's bytes are never used.
    static func isBase64Of16Bytes(_ key: [UInt8]) -> Bool {
        guard key.count == 24, key[22] == UInt8(ascii: "="), key[23] == UInt8(ascii: "=") else {
            return false
        }
        return key[..<22].allSatisfy(isBase64Symbol)
    }

    private static func isBase64Symbol(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
