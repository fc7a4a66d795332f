import PaceStore

/// The answer of `POST /keys/claim` and the devices it left short of one-time prekeys.
package struct ClaimResult: Sendable {
    package var bundles: [KeyBundle]
    package var low: [LowPrekeys]
    package var event: ChatEvent? { low.isEmpty ? nil : .keysLow(low) }
}

extension ClaimResult: CarriesEvent {}

/// Claiming key bundles, on the writer: one unused one-time prekey per target device, deleted
/// in the same transaction that hands it out.
package enum KeyClaims {
    /// Devices of `userIDs` and the devices `deviceIDs`, each the caller's own or of someone
    /// sharing a conversation with them; any other is a 404 (the caller may not know it).
    package static func claim(_ db: any StoreTransaction, callerID: Int64, userIDs: [Int64],
                              deviceIDs: [Int64]) throws(StoreError) -> Result<ClaimResult, APIError> {
        let devices = try db.query("""
            SELECT \(DeviceRecord.columns) FROM devices d
            WHERE (d.id IN (SELECT value FROM json_each(?2)) OR d.user_id IN (SELECT value FROM json_each(?3)))
              AND (d.user_id = ?1 OR EXISTS (SELECT 1 FROM members a JOIN members b ON b.conversation_id = a.conversation_id
                                             WHERE a.user_id = ?1 AND b.user_id = d.user_id))
            ORDER BY d.user_id, d.id
            """, [.integer(callerID), .text(MessageQueries.idList(deviceIDs)), .text(MessageQueries.idList(userIDs))],
            DeviceRecord.init(row:))
        let found = Set(devices.map(\.id))
        let users = Set(devices.map(\.userID))
        if let missing = deviceIDs.first(where: { !found.contains($0) }) {
            return .failure(APIError(404, "not_found", "No device \(missing) among your contacts' devices."))
        }
        if let missing = userIDs.first(where: { !users.contains($0) && $0 != callerID }),
           try !isContact(db, callerID, missing) {
            return .failure(APIError(404, "not_found", "No user \(missing) among your contacts."))
        }
        guard devices.count <= KeyLimits.maximumClaim else {
            return .failure(.validation("device_ids", "a claim covers at most \(KeyLimits.maximumClaim) devices"))
        }
        var result = ClaimResult(bundles: [], low: [])
        for device in devices {
            // A no-op update first: on an engine with row locks (PostgreSQL, READ COMMITTED) it
            // makes concurrent claims of one device wait for each other, so the DELETE below runs
            // on a fresh snapshot and two claimers never pick the same key. SQLite has one writer.
            try db.run("UPDATE devices SET low_notified = low_notified WHERE id = ?1", [.integer(device.id)])
            let key = try db.queryFirst("""
                DELETE FROM one_time_prekeys
                WHERE device_id = ?1 AND key_id = (SELECT min(key_id) FROM one_time_prekeys WHERE device_id = ?1)
                RETURNING key_id, public_key
                """, [.integer(device.id)]) { OneTimePrekey(keyID: $0.int64(0), publicKey: $0.bytes(1)) }
            result.bundles.append(KeyBundle(device: device, oneTimePrekey: key))
            if let low = try markLow(db, device) { result.low.append(low) }
        }
        return .success(result)
    }

    /// Flags the device once when its count drops below the threshold; nil otherwise.
    private static func markLow(_ db: any StoreTransaction, _ device: DeviceRecord) throws(StoreError) -> LowPrekeys? {
        let remaining = try db.queryFirst("SELECT count(*) FROM one_time_prekeys WHERE device_id = ?1",
                                          [.integer(device.id)]) { $0.int(0) } ?? 0
        guard remaining < KeyLimits.lowThreshold else { return nil }
        try db.run("UPDATE devices SET low_notified = 1 WHERE id = ?1 AND low_notified = 0", [.integer(device.id)])
        guard db.changes == 1 else { return nil }
        return LowPrekeys(userID: device.userID, deviceID: device.id, remaining: remaining)
    }

    private static func isContact(_ db: any StoreTransaction, _ callerID: Int64, _ userID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("""
            SELECT 1 FROM members a JOIN members b ON b.conversation_id = a.conversation_id
            WHERE a.user_id = ?1 AND b.user_id = ?2 LIMIT 1
            """, [.integer(callerID), .integer(userID)]) { _ in true } ?? false
    }
}
