import PaceAddress

/// An absolute `http://` or `https://` URL as Pace's HTTP client uses it: no user info, no
/// fragment, a host name or IP literal, a port, and the request target (path and query).
package struct OutboundURL: Sendable, Equatable, CustomStringConvertible {
    package var isTLS: Bool
    /// The host as written (an IPv6 literal without brackets), lowercased.
    package var host: String
    package var port: UInt16
    /// Path and query, starting with `/`.
    package var target: String

    /// Parses `text`; nil for anything but a well-formed absolute http(s) URL.
    package init?(_ text: String) {
        guard text.utf8.count <= 2048, text.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            isTLS = false
            rest = text.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            isTLS = true
            rest = text.dropFirst(8)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[rest.startIndex..<authorityEnd]
        var path = rest[authorityEnd...]
        if let hash = path.firstIndex(of: "#") { path = path[path.startIndex..<hash] }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            guard IPAddress(String(hostPart)) != nil else { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[authority.startIndex..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isLetter || $0.isNumber || "-.:_".contains($0) }) else {
            return nil
        }
        host = hostPart.lowercased()
        if let portText {
            guard let value = UInt16(portText), value > 0 else { return nil }
            port = value
        } else {
            port = isTLS ? 443 : 80
        }
        target = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
    }

    /// `localhost` or a loopback IP literal: where plain `http` may go without
    /// `PACE_OUTBOUND_ALLOW_HTTP` (the client checks the addresses a name resolves to again).
    package var isLoopbackHost: Bool {
        if host == "localhost" { return true }
        return IPAddress(host).map { OutboundAddressPolicy.scope(of: $0) == .loopback } ?? false
    }

    /// The Host header's value.
    package var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// `scheme://host:port`, the key connections are reused under.
    package var origin: String { "\(isTLS ? "https" : "http")://\(hostHeader)" }

    package var description: String { origin + target }
}
