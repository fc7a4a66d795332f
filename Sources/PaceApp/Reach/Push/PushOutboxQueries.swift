import PaceStore

/// A push the dispatcher should attempt now, with its subscription's keys.
package struct DuePush: Sendable {
    package var id: Int64
    package var subscriptionID: Int64
    package var messageID: Int64
    package var payload: String
    package var urgency: String
    package var collapsed: Int64
    package var attempts: Int64
    package var createdAt: Int64
    package var conversationID: Int64
    package var endpoint: String
    package var p256dh: String
    package var auth: String
}

/// The SQL of the push outbox (see migrations/0010_push.sql); the same text runs on SQLite and
/// PostgreSQL.
package enum PushOutboxQueries {
    /// Whether a message is past the coalescing window or a push is due: the cheap read the
    /// dispatcher polls with, so an idle server does not write.
    package static func anyDue(_ db: any StoreTransaction, messagesBefore: Int64, now: Int64) throws(StoreError) -> Bool {
        if try db.queryFirst("SELECT message_id FROM push_messages WHERE created_at <= ?1 LIMIT 1",
                             [.integer(messagesBefore)], { $0.int64(0) }) != nil { return true }
        return try db.queryFirst("SELECT id FROM push_deliveries WHERE next_attempt_at <= ?1 LIMIT 1",
                                 [.integer(now)], { $0.int64(0) }) != nil
    }

    /// Expands the messages past the window, oldest first, within a budget of `budget`
    /// members per call (one write transaction): `expand` handles one message from a member
    /// cursor (a user id) and reports where it stopped. A finished message leaves
    /// `push_messages`; an unfinished one keeps its cursor for the next call. Returns the
    /// pushes written, and whether the budget ran out with work left.
    package static func expandDue(_ db: any StoreTransaction, before: Int64, budget: Int,
                                  expand: (any StoreTransaction, Int64, _ after: Int64, _ limit: Int) throws(StoreError)
                                      -> PushExpansion.Step) throws(StoreError) -> (owed: Int, more: Bool) {
        var remaining = budget
        var owed = 0
        while remaining > 0 {
            guard let (messageID, cursor) = try db.queryFirst("""
                SELECT message_id, next_member FROM push_messages WHERE created_at <= ?1 ORDER BY message_id LIMIT 1
                """, [.integer(before)], { ($0.int64(0), $0.int64(1)) }) else { return (owed, false) }
            // Locks the row on the cursor read: another server's step on it waits, then finds
            // the cursor moved (or the row gone) and leaves it.
            guard try db.queryFirst("""
                UPDATE push_messages SET next_member = ?2 WHERE message_id = ?1 AND next_member = ?2
                RETURNING message_id
                """, [.integer(messageID), .integer(cursor)], { $0.int64(0) }) != nil else { return (owed, true) }
            let step = try expand(db, messageID, cursor, remaining)
            owed += step.owed
            remaining -= max(1, step.members)
            if let next = step.next {
                try db.run("UPDATE push_messages SET next_member = ?2 WHERE message_id = ?1",
                           [.integer(messageID), .integer(next)])
            } else {
                try db.run("DELETE FROM push_messages WHERE message_id = ?1", [.integer(messageID)])
            }
        }
        return (owed, try db.queryFirst("SELECT message_id FROM push_messages WHERE created_at <= ?1 LIMIT 1",
                                        [.integer(before)], { $0.int64(0) }) != nil)
    }

    /// Records one push owed, collapsing into the one already owed to the subscription for the
    /// conversation: the newest message replaces its payload and the count grows; its schedule
    /// (a backoff, or the lease of an attempt in flight) stays.
    package static func owe(_ db: any StoreTransaction, subscriptionID: Int64, conversationID: Int64, messageID: Int64,
                            payload: String, urgency: String, now: Int64) throws(StoreError) {
        try db.run("""
            INSERT INTO push_deliveries (subscription_id, conversation_id, message_id, payload, urgency, next_attempt_at, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            ON CONFLICT (subscription_id, conversation_id) DO UPDATE SET
                message_id = excluded.message_id, payload = excluded.payload, collapsed = push_deliveries.collapsed + 1,
                urgency = CASE WHEN excluded.urgency = 'high' THEN 'high' ELSE push_deliveries.urgency END
            """, [.integer(subscriptionID), .integer(conversationID), .integer(messageID), .text(payload), .text(urgency),
                  .integer(now)])
    }

    /// Claims due pushes by moving their next attempt to `leaseUntil` (another server re-checks
    /// the condition after the row lock and skips them; a server that dies mid-attempt leaves
    /// them to be retried when the lease ends). Write work.
    package static func claimDue(_ db: any StoreTransaction, now: Int64, leaseUntil: Int64, limit: Int64)
        throws(StoreError) -> [DuePush] {
        let ids = try db.query("""
            UPDATE push_deliveries SET next_attempt_at = ?2
            WHERE next_attempt_at <= ?1 AND id IN (
                SELECT id FROM push_deliveries WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?3)
            RETURNING id
            """, [.integer(now), .integer(leaseUntil), .integer(limit)]) { $0.int64(0) }
        guard !ids.isEmpty else { return [] }
        return try db.query("""
            SELECT d.id, d.subscription_id, d.message_id, d.payload, d.urgency, d.collapsed, d.attempts, d.created_at,
                   d.conversation_id, s.endpoint, s.p256dh, s.auth
            FROM push_deliveries d JOIN push_subscriptions s ON s.id = d.subscription_id
            WHERE d.id IN (SELECT value FROM json_each(?1)) ORDER BY d.id
            """, [.text(MessageQueries.idList(ids))]) { row in
            DuePush(id: row.int64(0), subscriptionID: row.int64(1), messageID: row.int64(2), payload: row.string(3),
                    urgency: row.string(4), collapsed: row.int64(5), attempts: row.int64(6), createdAt: row.int64(7),
                    conversationID: row.int64(8), endpoint: row.string(9), p256dh: row.string(10), auth: row.string(11))
        }
    }

    /// The push is done with (accepted, or refused for good): deleted, unless newer messages
    /// collapsed into it during the attempt, which are then owed at once.
    package static func finish(_ db: any StoreTransaction, _ push: DuePush, now: Int64) throws(StoreError) {
        let deleted = try db.queryFirst("""
            DELETE FROM push_deliveries WHERE id = ?1 AND message_id = ?2 AND collapsed = ?3 RETURNING id
            """, [.integer(push.id), .integer(push.messageID), .integer(push.collapsed)]) { $0.int64(0) }
        guard deleted == nil else { return }
        try db.run("""
            UPDATE push_deliveries SET collapsed = collapsed - ?2, attempts = 0, next_attempt_at = ?3, created_at = ?3
            WHERE id = ?1
            """, [.integer(push.id), .integer(push.collapsed), .integer(now)])
    }

    /// A failed attempt worth repeating at `nextAttempt`.
    package static func retry(_ db: any StoreTransaction, _ push: DuePush, nextAttempt: Int64) throws(StoreError) {
        try db.run("UPDATE push_deliveries SET attempts = attempts + 1, next_attempt_at = ?2 WHERE id = ?1",
                   [.integer(push.id), .integer(nextAttempt)])
    }
}
