import Synchronization

/// Counters of Web Push attempts by outcome, for /metrics.
package final class PushStatistics: Sendable {
    package enum Outcome: String, CaseIterable, Sendable {
        /// The push service accepted it (2xx).
        case sent
        /// 429, 5xx, a timeout or a connection failure: tried again later.
        case retried
        /// 404 or 410: the subscription is gone and was deleted.
        case gone
        /// Another 4xx (a bad request, VAPID refused, too large): not retried.
        case rejected
        /// Given up: the TTL passed while retrying, or the endpoint's address is refused.
        case abandoned
    }

    private let counts = Mutex<[Outcome: Int]>([:])
    private let owed = Atomic<Int>(0)

    package init() {}

    package func count(_ outcome: Outcome) {
        counts.withLock { $0[outcome, default: 0] += 1 }
    }

    /// Pushes written to the outbox by expanding messages.
    package func countOwed(_ pushes: Int) {
        owed.add(pushes, ordering: .relaxed)
    }

    package func value(_ outcome: Outcome) -> Int {
        counts.withLock { $0[outcome, default: 0] }
    }

    package func render() -> String {
        var text = "# HELP pace_push_attempts_total Web Push requests by outcome.\n"
        text += "# TYPE pace_push_attempts_total counter\n"
        let snapshot = counts.withLock { $0 }
        for outcome in Outcome.allCases {
            text += "pace_push_attempts_total{outcome=\"\(outcome.rawValue)\"} \(snapshot[outcome, default: 0])\n"
        }
        text += "# HELP pace_push_owed_total Pushes owed to subscriptions of offline members, one per message and subscription (before collapsing).\n"
        text += "# TYPE pace_push_owed_total counter\n"
        text += "pace_push_owed_total \(owed.load(ordering: .relaxed))\n"
        return text
    }
}
