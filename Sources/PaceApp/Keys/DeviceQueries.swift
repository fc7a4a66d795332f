import PaceStore

/// Reads of devices and of the key-change log.
package enum DeviceQueries {
    /// `deviceID` if `userID` owns it.
    package static func owned(_ db: any StoreTransaction, userID: Int64, deviceID: Int64) throws(StoreError) -> DeviceRecord? {
        try db.queryFirst("SELECT \(DeviceRecord.columns) FROM devices d WHERE d.id = ?1 AND d.user_id = ?2",
                          [.integer(deviceID), .integer(userID)], DeviceRecord.init(row:))
    }

    /// A user's devices, oldest first; with `counts`, each with its unused one-time prekeys.
    package static func devices(_ db: any StoreTransaction, userID: Int64, counts: Bool) throws(StoreError) -> [DeviceRecord] {
        try db.query("""
            SELECT \(DeviceRecord.columns), (SELECT count(*) FROM one_time_prekeys k WHERE k.device_id = d.id)
            FROM devices d WHERE d.user_id = ?1 ORDER BY d.id
            """, [.integer(userID)]) { row in
            var device = DeviceRecord(row: row)
            if counts { device.oneTimePrekeyCount = row.int(8) }
            return device
        }
    }

    /// The key-change log of `userID` after entry `after`, oldest first, and whether more follow.
    package static func changes(_ db: any StoreTransaction, userID: Int64, after: Int64,
                                limit: Int) throws(StoreError) -> (changes: [KeyChange], hasMore: Bool) {
        var changes = try db.query("""
            SELECT \(KeyChange.columns) FROM key_changes WHERE user_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3
            """, [.integer(userID), .integer(after), .integer(Int64(limit + 1))], KeyChange.init(row:))
        let hasMore = changes.count > limit
        if hasMore { changes.removeLast() }
        return (changes, hasMore)
    }

    /// Whether a user with this id exists.
    package static func userExists(_ db: any StoreTransaction, _ userID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT 1 FROM users WHERE id = ?1", [.integer(userID)]) { _ in true } ?? false
    }
}
