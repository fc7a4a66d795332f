import PaceStore

/// A browser's push subscription as its owner sees it.
package struct PushSubscriptionRecord: Sendable {
    package var id: Int64
    package var endpoint: String
    package var createdAt: Int64
}

/// The SQL of push subscriptions; the same text runs on SQLite and PostgreSQL.
package enum PushSubscriptionQueries {
    /// Devices one user may register; the oldest is dropped past it.
    package static let perUserLimit: Int64 = 20

    /// Stores the subscription for `userID`, taking `endpoint` over from whoever held it (a
    /// browser re-subscribing under another account). True when it was new to this user.
    package static func upsert(_ db: any StoreTransaction, userID: Int64, endpoint: String, p256dh: String, auth: String,
                               now: Int64) throws(StoreError) -> (PushSubscriptionRecord, created: Bool) {
        let previous = try db.queryFirst("SELECT id, user_id, created_at FROM push_subscriptions WHERE endpoint = ?1",
                                         [.text(endpoint)]) { ($0.int64(0), $0.int64(1), $0.int64(2)) }
        if let previous, previous.1 == userID {
            try db.run("UPDATE push_subscriptions SET p256dh = ?2, auth = ?3 WHERE id = ?1",
                       [.integer(previous.0), .text(p256dh), .text(auth)])
            return (PushSubscriptionRecord(id: previous.0, endpoint: endpoint, createdAt: previous.2), false)
        }
        if let previous { try delete(db, id: previous.0) }
        let id = try db.queryFirst("""
            INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
            RETURNING id
            """, [.integer(userID), .text(endpoint), .text(p256dh), .text(auth), .integer(now)]) { $0.int64(0) } ?? 0
        let oldest = try db.query("""
            SELECT id FROM push_subscriptions WHERE user_id = ?1 ORDER BY id DESC LIMIT 1000 OFFSET ?2
            """, [.integer(userID), .integer(perUserLimit)]) { $0.int64(0) }
        for stale in oldest { try delete(db, id: stale) }
        return (PushSubscriptionRecord(id: id, endpoint: endpoint, createdAt: now), true)
    }

    package static func list(_ db: any StoreTransaction, userID: Int64) throws(StoreError) -> [PushSubscriptionRecord] {
        try db.query("SELECT id, endpoint, created_at FROM push_subscriptions WHERE user_id = ?1 ORDER BY id",
                     [.integer(userID)]) { PushSubscriptionRecord(id: $0.int64(0), endpoint: $0.string(1), createdAt: $0.int64(2)) }
    }

    /// Deletes the caller's subscription with `endpoint`; false when there is none.
    package static func delete(_ db: any StoreTransaction, userID: Int64, endpoint: String) throws(StoreError) -> Bool {
        guard let id = try db.queryFirst("SELECT id FROM push_subscriptions WHERE endpoint = ?1 AND user_id = ?2",
                                         [.text(endpoint), .integer(userID)], { $0.int64(0) }) else { return false }
        try delete(db, id: id)
        return true
    }

    /// Deletes the caller's subscription `id`; false when there is none.
    package static func delete(_ db: any StoreTransaction, userID: Int64, id: Int64) throws(StoreError) -> Bool {
        guard try db.queryFirst("SELECT id FROM push_subscriptions WHERE id = ?1 AND user_id = ?2",
                                [.integer(id), .integer(userID)], { $0.int64(0) }) != nil else { return false }
        try delete(db, id: id)
        return true
    }

    /// Deletes a subscription and the pushes it is owed (a 404 or 410 from its push service).
    package static func delete(_ db: any StoreTransaction, id: Int64) throws(StoreError) {
        try db.run("DELETE FROM push_deliveries WHERE subscription_id = ?1", [.integer(id)])
        try db.run("DELETE FROM push_subscriptions WHERE id = ?1", [.integer(id)])
    }
}
