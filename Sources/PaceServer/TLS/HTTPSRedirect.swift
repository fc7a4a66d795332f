import PaceHTTP

/// The plain-HTTP listener beside an HTTPS one: every request is answered 308 to the same
/// target on `https://` and the host the client asked for (its Host header, with the HTTPS
/// port), so a redirect never names a host the client did not already name. A request
/// without a well-formed Host gets 400.
package final class HTTPSRedirect: HTTPHandler, HTTPExchange {
    /// ":port" after the host, empty for 443.
    private let portSuffix: String

    package init(httpsPort: UInt16) {
        portSuffix = httpsPort == 443 ? "" : ":\(httpsPort)"
    }

    package func exchange(for request: HTTPRequest) -> any HTTPExchange { self }

    /// A small body is read and dropped, so a redirected POST still gets its answer.
    package var bodyLimit: Int { 64 * 1024 }

    package func respond(to request: HTTPRequest, responder: HTTPResponder) {
        guard let location = location(for: request) else {
            responder.send(HTTPResponse(status: 400, contentType: "text/plain; charset=utf-8",
                                        body: .text("A Host header naming this server is required.\n"),
                                        closeConnection: true))
            return
        }
        responder.send(HTTPResponse(status: 308, headers: [HTTPHeader("Location", location)]))
    }

    /// The https URL of the request's target on its Host, or nil without a usable Host.
    func location(for request: HTTPRequest) -> String? {
        guard let host = request.header("Host"), let name = Self.hostName(host) else { return nil }
        // Origin form only: anything else ("*", an authority) would be read as part of the host.
        let path = request.pathString.first == "/" ? request.pathString : "/"
        let query = request.head.query.map { "?" + HeaderLookup.string(request.buffer, $0) } ?? ""
        return "https://" + name + portSuffix + path + query
    }

    /// The host part of a Host value (a DNS name, an IPv4 address or a bracketed IPv6
    /// address), without its port; nil for anything else.
    static func hostName(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty, bytes.count <= 262 else { return nil }
        let hostEnd: Int
        if bytes[0] == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1,
                  bytes[1..<close].allSatisfy(isIPv6Byte) else { return nil }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
            guard hostEnd > 0, hostEnd <= 253, bytes[0..<hostEnd].allSatisfy(isNameByte),
                  bytes[0] != UInt8(ascii: "."), bytes[0] != UInt8(ascii: "-") else { return nil }
        }
        let port = bytes[hostEnd...]
        if let colon = port.first {
            guard colon == UInt8(ascii: ":"), port.count <= 6, port.dropFirst().allSatisfy(isDigit) else { return nil }
        }
        return String(decoding: bytes[0..<hostEnd], as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func isIPv6Byte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
    }
}
