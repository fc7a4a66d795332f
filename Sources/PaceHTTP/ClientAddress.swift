import PaceAddress

/// The address a request is attributed to (rate limits, logs): the TCP peer, or, when the
/// peer is a trusted proxy, the first untrusted hop of its forwarding header.
///
/// The walk starts at the peer and goes right to left through the hops: while the current
/// hop is trusted, step to the next address to its left; the first untrusted address is the
/// client. An `unknown`, obfuscated or unparsable hop ends the walk at the last trusted hop
/// (nothing to its left can be believed); when every hop is trusted, the leftmost one is the
/// client. Headers from an untrusted peer are never read. With both headers present only
/// `Forwarded` is read: it is the standard one, and a proxy that writes it on purpose means
/// it. All `Forwarded` (or all `X-Forwarded-For`) lines are one list, in order.
package struct ClientAddress: Equatable, Sendable {
    package let address: IPAddress
    /// Taken from a forwarding header rather than the TCP peer.
    package let isForwarded: Bool

    package init(address: IPAddress, isForwarded: Bool) {
        self.address = address
        self.isForwarded = isForwarded
    }

    /// The client of a request from `peer` with `headers`, given the trusted proxies.
    package static func resolve(peer: IPAddress, trusted: TrustedProxies, headers: [HTTPHeaderField],
                                buffer: UnsafeRawBufferPointer) -> ClientAddress {
        guard !trusted.isEmpty, trusted.contains(peer) else { return ClientAddress(address: peer, isForwarded: false) }
        var walk = ForwardingWalk(peer: peer, trusted: trusted)
        let useForwarded = HeaderLookup.field(named: "forwarded", in: headers, buffer: buffer) != nil
        for field in headers {
            if useForwarded {
                guard HeaderLookup.equalsIgnoringCase(buffer, field.name, "forwarded") else { continue }
                ForwardingHeaders.forEachForwarded(buffer, field.value) { walk.visit($0) }
            } else {
                guard HeaderLookup.equalsIgnoringCase(buffer, field.name, "x-forwarded-for") else { continue }
                ForwardingHeaders.forEachXForwardedFor(buffer, field.value) { walk.visit($0) }
            }
        }
        return walk.client
    }
}
