import PaceCrypto
import PaceWebSocket

/// The client's opening handshake (RFC 6455 section 4.1): the request, and the check of
/// the server's answer, including `Sec-WebSocket-Accept`.
package enum UpgradeRequest {
    /// The request head. The token travels as `access_token` in the query, as API.md allows.
    /// With `deflate` it offers permessage-deflate; the client never compresses what it sends,
    /// so it may as well promise to keep no context.
    package static func head(host: String, port: UInt16, path: String, token: String, key: String,
                             deflate: Bool = false) -> [UInt8] {
        let separator = path.contains("?") ? "&" : "?"
        let target = path + separator + "access_token=" + percentEncoded(token)
        return Array((
            "GET \(target) HTTP/1.1\r\n" +
            "Host: \(host):\(port)\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: \(key)\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            (deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n" : "") +
            "\r\n"
        ).utf8)
    }

    /// A fresh `Sec-WebSocket-Key`: 16 random bytes in base64.
    package static func randomKey() -> String {
        Base64.standard.encode(SecureRandom.bytes(16))
    }

    /// The `Sec-WebSocket-Accept` the server must answer `key` with.
    package static func expectedAccept(key: String) -> String {
        WebSocketHandshake.acceptValue(
            key: Array(key.utf8), sha1: { Digest.sha1($0) }, base64: { Base64.standard.encode($0) }
        )
    }

    /// `text` with every byte outside RFC 3986's unreserved set percent-encoded.
    package static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// What the bytes received so far say about the upgrade.
    package enum Response: Equatable, Sendable {
        /// The head is not complete yet.
        case incomplete
        /// 101 with the right accept value; frames start after `headLength` bytes.
        case accepted(headLength: Int)
        /// Anything else; `status` is the HTTP status when there was one.
        case rejected(status: Int?, reason: String)
    }

    /// Longest response head accepted before giving up on the server.
    package static let maxHeadLength = 16 * 1024

    package static func check(_ bytes: UnsafeRawBufferPointer, expectedAccept: String) -> Response {
        guard let end = headEnd(bytes) else {
            return bytes.count > maxHeadLength ? .rejected(status: nil, reason: "response head too long") : .incomplete
        }
        let lines = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
            .split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            return .rejected(status: nil, reason: "not an HTTP response")
        }
        guard status == 101 else {
            return .rejected(status: status, reason: String(lines.first ?? ""))
        }
        let accept = lines.dropFirst().lazy.compactMap { headerValue($0, named: "sec-websocket-accept") }.first
        guard accept == expectedAccept else {
            return .rejected(status: status, reason: "wrong or missing Sec-WebSocket-Accept")
        }
        return .accepted(headLength: end + 4)
    }

    /// The offset of the blank line's CRLF CRLF.
    private static func headEnd(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// The trimmed value of a header line whose name is `lowercasedName` in any case.
    private static func headerValue(_ line: Substring, named lowercasedName: String) -> String? {
        guard let colon = line.firstIndex(of: ":"),
              line[..<colon].lowercased() == lowercasedName else { return nil }
        return String(line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            .reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
