import PaceJSON
import PaceStore

/// A device change to publish: the device list of `userID` changed (`keys.changed` to everyone
/// sharing a conversation with them).
package struct DeviceChange: Sendable {
    package var device: DeviceRecord
    package var change: KeyChange
    package var event: ChatEvent? { .keysChanged(userID: change.userID, change: KeyEncoder.encode(change)) }
}

extension DeviceChange: CarriesEvent {}

/// Registering and removing devices and uploading their keys, on the writer. Every refusal
/// is decided before the first change (see `StoreWork`).
package enum DeviceWrites {
    package static func register(_ db: any StoreTransaction, userID: Int64, _ device: RegisterDevice,
                                 now: Int64) throws(StoreError) -> Result<DeviceChange, APIError> {
        let count = try db.queryFirst("SELECT count(*) FROM devices WHERE user_id = ?1", [.integer(userID)]) { $0.int(0) } ?? 0
        guard count < KeyLimits.maximumDevices else {
            return .failure(.conflict("too_many_devices", "A user has at most \(KeyLimits.maximumDevices) devices."))
        }
        let signed = device.signedPrekey
        let high = device.oneTimePrekeys.map(\.keyID).max() ?? 0
        guard let id = try db.queryFirst("""
            INSERT INTO devices (user_id, name, identity_key, signed_prekey_id, signed_prekey, signed_prekey_signature,
                                 prekey_high, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id
            """, [.integer(userID), .text(device.name), .blob(device.identityKey), .integer(signed.keyID),
                  .blob(signed.publicKey), .blob(signed.signature), .integer(high), .integer(now)], { $0.int64(0) }) else {
            return .failure(.internalError)
        }
        try insert(db, deviceID: id, device.oneTimePrekeys)
        let record = DeviceRecord(id: id, userID: userID, name: device.name, identityKey: device.identityKey,
                                  signedPrekey: signed, createdAt: now, oneTimePrekeyCount: device.oneTimePrekeys.count)
        let change = try log(db, userID: userID, deviceID: id, added: true, identityKey: device.identityKey, now: now)
        return .success(DeviceChange(device: record, change: change))
    }

    package static func remove(_ db: any StoreTransaction, userID: Int64, deviceID: Int64,
                               now: Int64) throws(StoreError) -> Result<DeviceChange, APIError> {
        guard let device = try DeviceQueries.owned(db, userID: userID, deviceID: deviceID) else { return .failure(.notFound) }
        try db.run("DELETE FROM devices WHERE id = ?1", [.integer(deviceID)])
        let change = try log(db, userID: userID, deviceID: deviceID, added: false, identityKey: device.identityKey, now: now)
        return .success(DeviceChange(device: device, change: change))
    }

    /// Replaces the signed prekey; its signature must verify with the stored identity key.
    package static func rotate(_ db: any StoreTransaction, userID: Int64, deviceID: Int64, _ signed: SignedPrekey,
                               now: Int64) throws(StoreError) -> Result<DeviceRecord, APIError> {
        guard var device = try DeviceQueries.owned(db, userID: userID, deviceID: deviceID) else { return .failure(.notFound) }
        if let refusal = KeyRequests.verify(signed, identityKey: device.identityKey, field: "signature") {
            return .failure(refusal)
        }
        try db.run("""
            UPDATE devices SET signed_prekey_id = ?1, signed_prekey = ?2, signed_prekey_signature = ?3, updated_at = ?4
            WHERE id = ?5
            """, [.integer(signed.keyID), .blob(signed.publicKey), .blob(signed.signature), .integer(now), .integer(deviceID)])
        device.signedPrekey = signed
        return .success(device)
    }

    /// Adds one-time prekeys. Ids must be above every id this device ever uploaded: an id is
    /// never reused, even after its key was claimed (409 `prekey_id_reused`). Answers the count.
    package static func upload(_ db: any StoreTransaction, userID: Int64, deviceID: Int64,
                               _ keys: [OneTimePrekey]) throws(StoreError) -> Result<Int, APIError> {
        guard let (high, stored) = try db.queryFirst("""
            SELECT d.prekey_high, (SELECT count(*) FROM one_time_prekeys k WHERE k.device_id = d.id)
            FROM devices d WHERE d.id = ?1 AND d.user_id = ?2
            """, [.integer(deviceID), .integer(userID)], { ($0.int64(0), $0.int(1)) }) else { return .failure(.notFound) }
        if let reused = keys.first(where: { $0.keyID <= high }) {
            return .failure(APIError(409, "prekey_id_reused",
                                     "One-time prekey id \(reused.keyID) was used before; ids must be above \(high).",
                                     details: [FieldProblem(field: "one_time_prekeys", problem: "key_id must be above \(high)")]))
        }
        guard stored + keys.count <= KeyLimits.maximumStored else {
            return .failure(.validation("one_time_prekeys", "a device stores at most \(KeyLimits.maximumStored) prekeys"))
        }
        try insert(db, deviceID: deviceID, keys)
        let total = stored + keys.count
        try db.run("""
            UPDATE devices SET prekey_high = ?1, low_notified = CASE WHEN ?2 = 1 THEN 0 ELSE low_notified END
            WHERE id = ?3
            """, [.integer(keys.map(\.keyID).max() ?? high), .integer(total >= KeyLimits.lowThreshold ? 1 : 0),
                  .integer(deviceID)])
        return .success(total)
    }

    private static func insert(_ db: any StoreTransaction, deviceID: Int64, _ keys: [OneTimePrekey]) throws(StoreError) {
        for key in keys {
            try db.run("INSERT INTO one_time_prekeys (device_id, key_id, public_key) VALUES (?1, ?2, ?3)",
                       [.integer(deviceID), .integer(key.keyID), .blob(key.publicKey)])
        }
    }

    private static func log(_ db: any StoreTransaction, userID: Int64, deviceID: Int64, added: Bool, identityKey: [UInt8],
                            now: Int64) throws(StoreError) -> KeyChange {
        let id = try db.queryFirst("""
            INSERT INTO key_changes (user_id, device_id, change, identity_key, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id
            """, [.integer(userID), .integer(deviceID), .text(added ? "added" : "removed"), .blob(identityKey), .integer(now)],
            { $0.int64(0) }) ?? 0
        return KeyChange(id: id, userID: userID, deviceID: deviceID, added: added, identityKey: identityKey, createdAt: now)
    }
}
