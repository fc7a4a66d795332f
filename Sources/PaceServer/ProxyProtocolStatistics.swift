import Synchronization

/// PROXY protocol figures for `/metrics`, shared by every loop's listener: touched once per
/// connection, so plain atomic adds are cheap enough.
package final class ProxyProtocolStatistics: Sendable {
    private let accepted = Atomic<Int>(0)
    private let rejected = Atomic<Int>(0)

    package init() {}

    /// A connection's header was read and accepted.
    package func headerAccepted() { accepted.add(1, ordering: .relaxed) }

    /// A connection was closed for its header: from an untrusted peer, malformed, too slow.
    package func headerRejected() { rejected.add(1, ordering: .relaxed) }

    package var acceptedCount: Int { accepted.load(ordering: .relaxed) }
    package var rejectedCount: Int { rejected.load(ordering: .relaxed) }

    /// The figures in the Prometheus text format.
    package func render() -> String {
        var out = "# HELP pace_proxy_protocol_headers_total Connections by PROXY protocol header outcome "
        out += "(rejected: untrusted peer, malformed or late header; the connection was closed).\n"
        out += "# TYPE pace_proxy_protocol_headers_total counter\n"
        out += "pace_proxy_protocol_headers_total{result=\"accepted\"} \(acceptedCount)\n"
        out += "pace_proxy_protocol_headers_total{result=\"rejected\"} \(rejectedCount)\n"
        return out
    }
}
