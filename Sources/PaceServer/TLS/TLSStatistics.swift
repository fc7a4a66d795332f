import PaceSystem
import Synchronization

/// How TLS handshakes on one listener ended, for `/metrics`: an operator sees clients failing
/// to agree on a protocol, scanners sending plain HTTP, or a handshake flood hitting the cap.
package final class TLSStatistics: Sendable {
    package enum Outcome: Int, CaseIterable, Sendable {
        case completed, resumed, failed, abandoned, timedOut, plainHTTP, refused

        var label: String {
            switch self {
            case .completed: "completed"
            case .resumed: "resumed"
            case .failed: "failed"
            case .abandoned: "abandoned"
            case .timedOut: "timed_out"
            case .plainHTTP: "plain_http"
            case .refused: "refused"
            }
        }
    }

    /// One counter per outcome, by raw value. The pointer never changes and every access goes
    /// through the atomics it points to.
    private nonisolated(unsafe) let counters: UnsafeMutablePointer<Atomic<Int>>

    package init() {
        counters = .allocate(capacity: Outcome.allCases.count)
        for index in Outcome.allCases.indices { (counters + index).initialize(to: Atomic(0)) }
    }

    deinit {
        counters.deinitialize(count: Outcome.allCases.count)
        counters.deallocate()
    }

    func count(_ outcome: Outcome) {
        counters[outcome.rawValue].add(1, ordering: .relaxed)
    }

    package func value(_ outcome: Outcome) -> Int {
        counters[outcome.rawValue].load(ordering: .relaxed)
    }

    /// Prometheus text: one counter labelled by outcome (`resumed` counts the completed
    /// handshakes that resumed a session from a ticket; the others exclude each other).
    package func render() -> String {
        var out = PrometheusText.header("pace_tls_handshakes_total", "counter",
                                        "TLS handshakes by outcome (resumed ones are also completed).")
        for outcome in Outcome.allCases {
            out += "pace_tls_handshakes_total{result=\"\(outcome.label)\"} \(value(outcome))\n"
        }
        return out
    }
}
