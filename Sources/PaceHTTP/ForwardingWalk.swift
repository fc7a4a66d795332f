import PaceAddress

/// The right-to-left walk of `ClientAddress`, computed in one left-to-right pass: only the
/// rightmost hop that stops the walk matters, so it is enough to remember the latest one.
struct ForwardingWalk {
    private let peer: IPAddress
    private let trusted: TrustedProxies
    private var leftmost: IPAddress?
    private var sawHop = false
    private var sawStop = false
    /// The client if the walk stops at the latest stopping hop seen.
    private var stopped: IPAddress?
    /// The latest stopping hop is opaque: the client is the next address to its right.
    private var awaitingRight = false

    init(peer: IPAddress, trusted: TrustedProxies) {
        self.peer = peer
        self.trusted = trusted
    }

    /// The next hop, left to right.
    mutating func visit(_ node: ForwardedNode) {
        defer { sawHop = true }
        guard case .address(let address) = node else {
            sawStop = true
            awaitingRight = true
            stopped = nil
            return
        }
        if !sawHop { leftmost = address }
        if !trusted.contains(address) {
            sawStop = true
            awaitingRight = false
            stopped = address
        } else if awaitingRight {
            awaitingRight = false
            stopped = address
        }
    }

    var client: ClientAddress {
        if !sawStop {
            guard let leftmost else { return ClientAddress(address: peer, isForwarded: false) }
            return ClientAddress(address: leftmost, isForwarded: true)
        }
        guard let stopped else { return ClientAddress(address: peer, isForwarded: false) }
        return ClientAddress(address: stopped, isForwarded: true)
    }
}
