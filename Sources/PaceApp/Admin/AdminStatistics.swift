import PaceSystem
import Synchronization

/// Administration figures for `/metrics`, counted as entries are appended (a transaction that
/// then fails to commit still counts: these are attempts, rare enough not to matter).
package final class AdminStatistics: Sendable {
    let auditAllowed = Atomic<Int>(0)
    let auditDenied = Atomic<Int>(0)
    let reportsFiled = Atomic<Int>(0)
    let reportsClosed = Atomic<Int>(0)

    package init() {}

    package func render() -> String {
        PrometheusText.single("pace_audit_entries_allowed_total", "counter", "Privileged actions carried out and audited.",
                              auditAllowed.load(ordering: .relaxed))
            + PrometheusText.single("pace_audit_entries_denied_total", "counter",
                                    "Privileged actions refused and audited.", auditDenied.load(ordering: .relaxed))
            + PrometheusText.single("pace_reports_filed_total", "counter", "Messages reported by members.",
                                    reportsFiled.load(ordering: .relaxed))
            + PrometheusText.single("pace_reports_closed_total", "counter", "Reports resolved or dismissed by moderators.",
                                    reportsClosed.load(ordering: .relaxed))
    }
}
