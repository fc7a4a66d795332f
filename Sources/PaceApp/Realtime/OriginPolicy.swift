/// Which pages may open a chat socket. A browser sends `Origin` on every WebSocket upgrade and
/// attaches the victim's credentials (an `?access_token=` a page learned, cookies of a proxy),
/// so a hostile site must be refused (cross-site WebSocket hijacking). Clients that send no
/// `Origin` are not browsers and carry their own token, so every policy lets them in.
package enum OriginPolicy: Sendable, Equatable {
    /// The default: pages served from the host the client addressed (`Origin`'s authority
    /// equals `Host`, default ports folded), which is where a web client bundled with Pace or
    /// behind the same reverse proxy lives.
    case sameHost
    /// `PACE_ALLOWED_ORIGINS=*`: any page.
    case any
    /// `PACE_ALLOWED_ORIGINS=https://a.example,…`: exactly these origins, compared without case.
    case listed(Set<String>)

    /// The policy `PACE_ALLOWED_ORIGINS` names; unset or empty is `sameHost`.
    package init(setting: String?) {
        guard let setting, !Substring(setting).trimmingSpaces.isEmpty else {
            self = .sameHost
            return
        }
        let entries = setting.split(separator: ",").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
        self = entries.contains("*") ? .any : .listed(Set(entries))
    }

    /// Whether an upgrade with these `Origin` and `Host` header values may proceed.
    package func allows(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        switch self {
        case .any: return true
        case .listed(let origins): return origins.contains(origin.lowercased())
        case .sameHost: return host.map { Self.sameAuthority(origin: origin.lowercased(), host: $0.lowercased()) } ?? false
        }
    }

    /// `Origin` is `scheme://host[:port]` with the scheme's default port left out; `Host` may
    /// carry it (`example.com:443`). `null` (sandboxed frames, files) never matches.
    private static func sameAuthority(origin: String, host: String) -> Bool {
        let defaultPort: String
        let authority: Substring
        if origin.hasPrefix("https://") {
            (defaultPort, authority) = (":443", origin.dropFirst(8))
        } else if origin.hasPrefix("http://") {
            (defaultPort, authority) = (":80", origin.dropFirst(7))
        } else {
            return false
        }
        guard !authority.isEmpty, !authority.contains("/") else { return false }
        return authority == host || (host.hasSuffix(defaultPort) && authority == host.dropLast(defaultPort.count))
    }
}
