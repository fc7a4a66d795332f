/// The proxies whose forwarding information is believed (`PACE_TRUSTED_PROXIES`): a list of
/// addresses and CIDR prefixes. Empty means none, and forwarding headers are never read.
package struct TrustedProxies: Sendable, Equatable, CustomStringConvertible {
    package let prefixes: [IPPrefix]

    package init(_ prefixes: [IPPrefix] = []) {
        self.prefixes = prefixes
    }

    package var isEmpty: Bool { prefixes.isEmpty }

    package func contains(_ address: IPAddress) -> Bool {
        for prefix in prefixes where prefix.contains(address) { return true }
        return false
    }

    /// Parses a list separated by commas and/or whitespace; empty text is the empty list.
    /// The first entry that is not an address or prefix is named in the error.
    package init(parsing text: String) throws(TrustedProxiesError) {
        var prefixes: [IPPrefix] = []
        let entries = text.split { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }
        for entry in entries {
            guard let prefix = IPPrefix(String(entry)) else { throw TrustedProxiesError(entry: String(entry)) }
            prefixes.append(prefix)
        }
        self.init(prefixes)
    }

    package var description: String { prefixes.map(\.description).joined(separator: ",") }
}

/// An entry of a trusted-proxy list that is neither an address nor a CIDR prefix.
package struct TrustedProxiesError: Error, Equatable, CustomStringConvertible {
    package let entry: String

    package var description: String {
        "'\(entry)' is not an IP address or CIDR prefix (like 10.0.0.0/8, 192.0.2.7 or ::1/128)"
    }
}
