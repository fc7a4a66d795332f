import PaceStore

/// A registered webhook as admins see it (the secret only once, at creation).
package struct WebhookRecord: Sendable {
    package var id: Int64
    package var url: String
    package var events: [String]
    package var enabled: Bool
    package var failures: Int64
    package var createdAt: Int64
}

/// One row of a webhook's delivery log.
package struct DeliveryRecord: Sendable {
    package var id: Int64
    package var event: String
    package var state: String
    package var attempts: Int64
    package var lastStatus: Int64?
    package var lastError: String?
    package var nextAttemptAt: Int64
    package var createdAt: Int64
    package var finishedAt: Int64?
}

/// A delivery the dispatcher should attempt now.
package struct DueDelivery: Sendable {
    package var id: Int64
    package var webhookID: Int64
    package var event: String
    package var payload: String
    package var attempts: Int64
    package var createdAt: Int64
    package var url: String
    package var secret: String
}

/// The SQL of webhooks and their outbox; the same text runs on SQLite and PostgreSQL.
package enum WebhookQueries {
    /// The event names a filter may hold.
    package static let eventNames = ["message.created", "member.joined"]

    package static func isAdmin(_ db: any StoreTransaction, userID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT CASE WHEN role = 'admin' THEN 1 ELSE 0 END FROM users WHERE id = ?1",
                          [.integer(userID)]) { $0.int64(0) } == 1
    }

    package static func create(_ db: any StoreTransaction, url: String, events: [String], secret: String,
                               createdBy: Int64, now: Int64) throws(StoreError) -> WebhookRecord {
        let filter = " " + events.joined(separator: " ") + " "
        let id = try db.queryFirst("""
            INSERT INTO webhooks (url, secret, events, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id
            """, [.text(url), .text(secret), .text(filter), .integer(createdBy), .integer(now)]) { $0.int64(0) } ?? 0
        return WebhookRecord(id: id, url: url, events: events, enabled: true, failures: 0, createdAt: now)
    }

    package static func list(_ db: any StoreTransaction) throws(StoreError) -> [WebhookRecord] {
        try db.query("SELECT id, url, events, enabled, failures, created_at FROM webhooks ORDER BY id", []) { row in
            WebhookRecord(id: row.int64(0), url: row.string(1), events: row.string(2).split(separator: " ").map(String.init),
                          enabled: row.int64(3) == 1, failures: row.int64(4), createdAt: row.int64(5))
        }
    }

    package static func exists(_ db: any StoreTransaction, id: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT id FROM webhooks WHERE id = ?1", [.integer(id)]) { $0.int64(0) } != nil
    }

    package static func delete(_ db: any StoreTransaction, id: Int64) throws(StoreError) -> Bool {
        guard try exists(db, id: id) else { return false }
        try db.run("DELETE FROM webhook_deliveries WHERE webhook_id = ?1", [.integer(id)])
        try db.run("DELETE FROM webhooks WHERE id = ?1", [.integer(id)])
        return true
    }

    /// The newest deliveries first, at most `limit`.
    package static func deliveries(_ db: any StoreTransaction, webhookID: Int64, limit: Int64) throws(StoreError)
        -> [DeliveryRecord] {
        try db.query("""
            SELECT id, event, state, attempts, last_status, last_error, next_attempt_at, created_at, finished_at
            FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY id DESC LIMIT ?2
            """, [.integer(webhookID), .integer(limit)]) { row in
            DeliveryRecord(id: row.int64(0), event: row.string(1), state: row.string(2), attempts: row.int64(3),
                           lastStatus: row.optionalInt64(4), lastError: row.optionalString(5),
                           nextAttemptAt: row.int64(6), createdAt: row.int64(7), finishedAt: row.optionalInt64(8))
        }
    }

    /// Whether any delivery is due: the cheap read the dispatcher polls with, so an idle
    /// server does not write.
    package static func anyDue(_ db: any StoreTransaction, now: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("""
            SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 AND w.enabled = 1 LIMIT 1
            """, [.integer(now)]) { $0.int64(0) } != nil
    }

    /// Claims the due deliveries, oldest first, by moving their next attempt to `leaseUntil`:
    /// another server sharing the database (PostgreSQL) re-checks the condition after the row
    /// lock and skips them, and a server that dies mid-attempt leaves them to be retried when
    /// the lease ends. Write work.
    package static func claimDue(_ db: any StoreTransaction, now: Int64, leaseUntil: Int64, limit: Int64)
        throws(StoreError) -> [DueDelivery] {
        let claimed = try db.query("""
            UPDATE webhook_deliveries SET next_attempt_at = ?2
            WHERE state = 'pending' AND next_attempt_at <= ?1 AND id IN (
                SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 AND w.enabled = 1
                ORDER BY d.next_attempt_at, d.id LIMIT ?3)
            RETURNING id, webhook_id, event, payload, attempts, created_at
            """, [.integer(now), .integer(leaseUntil), .integer(limit)]) { row in
            DueDelivery(id: row.int64(0), webhookID: row.int64(1), event: row.string(2), payload: row.string(3),
                        attempts: row.int64(4), createdAt: row.int64(5), url: "", secret: "")
        }
        var deliveries: [DueDelivery] = []
        for var delivery in claimed {
            guard let hook = try db.queryFirst("SELECT url, secret FROM webhooks WHERE id = ?1", [.integer(delivery.webhookID)],
                                               { ($0.string(0), $0.string(1)) }) else { continue }
            (delivery.url, delivery.secret) = hook
            deliveries.append(delivery)
        }
        return deliveries.sorted { $0.id < $1.id }
    }

    package static func recordDelivered(_ db: any StoreTransaction, _ delivery: DueDelivery, status: Int64,
                                        now: Int64) throws(StoreError) {
        try db.run("""
            UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?2,
                last_error = NULL, finished_at = ?3 WHERE id = ?1
            """, [.integer(delivery.id), .integer(status), .integer(now)])
        try db.run("UPDATE webhooks SET failures = 0 WHERE id = ?1", [.integer(delivery.webhookID)])
    }

    /// Records a failed attempt: retried at `nextAttempt`, or failed for good when it is nil.
    /// Past `disableAfter` failures in a row the webhook is disabled and its pending deliveries
    /// fail with it.
    package static func recordFailed(_ db: any StoreTransaction, _ delivery: DueDelivery, status: Int64?, error: String,
                                     nextAttempt: Int64?, disableAfter: Int64, now: Int64) throws(StoreError) {
        let statusValue: SQLValue = status.map { .integer($0) } ?? .null
        if let nextAttempt {
            try db.run("""
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?2, last_error = ?3,
                    next_attempt_at = ?4 WHERE id = ?1
                """, [.integer(delivery.id), statusValue, .text(error), .integer(nextAttempt)])
        } else {
            try db.run("""
                UPDATE webhook_deliveries SET state = 'failed', attempts = attempts + 1, last_status = ?2,
                    last_error = ?3, finished_at = ?4 WHERE id = ?1
                """, [.integer(delivery.id), statusValue, .text(error), .integer(now)])
        }
        let failures = try db.queryFirst("UPDATE webhooks SET failures = failures + 1 WHERE id = ?1 RETURNING failures",
                                         [.integer(delivery.webhookID)]) { $0.int64(0) } ?? 0
        guard failures >= disableAfter else { return }
        try db.run("UPDATE webhooks SET enabled = 0 WHERE id = ?1", [.integer(delivery.webhookID)])
        try db.run("""
            UPDATE webhook_deliveries SET state = 'failed', last_error = 'webhook disabled', finished_at = ?2
            WHERE webhook_id = ?1 AND state = 'pending'
            """, [.integer(delivery.webhookID), .integer(now)])
    }

    /// Deletes finished deliveries (delivered or failed) that finished before `before`, so the
    /// outbox and its log keep a bounded history.
    package static func prune(_ db: any StoreTransaction, before: Int64) throws(StoreError) {
        try db.run("DELETE FROM webhook_deliveries WHERE state <> 'pending' AND finished_at < ?1", [.integer(before)])
    }
}
