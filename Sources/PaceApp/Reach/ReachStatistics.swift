import Synchronization

/// Counters of webhook attempts by outcome, for /metrics.
package final class ReachStatistics: Sendable {
    package enum Outcome: String, CaseIterable, Sendable {
        /// A 2xx answer.
        case delivered
        /// Any other answer, a timeout or a connection failure; retried.
        case failed
        /// The URL resolved only to refused addresses, or the retry window ended.
        case abandoned
    }

    private let counts = Mutex<[Outcome: Int]>([:])

    package init() {}

    package func count(_ outcome: Outcome) {
        counts.withLock { $0[outcome, default: 0] += 1 }
    }

    package func value(_ outcome: Outcome) -> Int {
        counts.withLock { $0[outcome, default: 0] }
    }

    package func render() -> String {
        var text = "# HELP pace_webhook_deliveries_total Webhook delivery attempts by outcome.\n"
        text += "# TYPE pace_webhook_deliveries_total counter\n"
        for outcome in Outcome.allCases {
            text += "pace_webhook_deliveries_total{outcome=\"\(outcome.rawValue)\"} \(value(outcome))\n"
        }
        return text
    }
}
