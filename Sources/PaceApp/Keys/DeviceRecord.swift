import PaceStore

/// A device's public keys as stored: its long-term Ed25519 identity key and its current
/// X25519 signed prekey with the identity key's signature over `KeyRequests.signedBytes`.
package struct DeviceRecord: Sendable, Equatable {
    package var id: Int64
    package var userID: Int64
    package var name: String
    package var identityKey: [UInt8]
    package var signedPrekey: SignedPrekey
    package var createdAt: Int64
    /// Unused one-time prekeys left; shown to the owner only.
    package var oneTimePrekeyCount: Int?

    /// The columns of every device query, in this order.
    static let columns = """
        d.id, d.user_id, d.name, d.identity_key, d.signed_prekey_id, d.signed_prekey, d.signed_prekey_signature, d.created_at
        """

    init(id: Int64, userID: Int64, name: String, identityKey: [UInt8], signedPrekey: SignedPrekey, createdAt: Int64,
         oneTimePrekeyCount: Int? = nil) {
        self.id = id
        self.userID = userID
        self.name = name
        self.identityKey = identityKey
        self.signedPrekey = signedPrekey
        self.createdAt = createdAt
        self.oneTimePrekeyCount = oneTimePrekeyCount
    }

    init(row: any StoreRow) {
        id = row.int64(0)
        userID = row.int64(1)
        name = row.string(2)
        identityKey = row.bytes(3)
        signedPrekey = SignedPrekey(keyID: row.int64(4), publicKey: row.bytes(5), signature: row.bytes(6))
        createdAt = row.int64(7)
    }
}

/// An X25519 public key signed by its device's identity key.
package struct SignedPrekey: Sendable, Equatable {
    package var keyID: Int64
    package var publicKey: [UInt8]
    package var signature: [UInt8]
}

/// A one-time X25519 public prekey; handed out once, then deleted.
package struct OneTimePrekey: Sendable, Equatable {
    package var keyID: Int64
    package var publicKey: [UInt8]
}

/// What a claimer needs to start X3DH with one device.
package struct KeyBundle: Sendable, Equatable {
    package var device: DeviceRecord
    /// Nil when the device had none left: X3DH then runs with the signed prekey alone.
    package var oneTimePrekey: OneTimePrekey?
}

/// One entry of a user's key-change log.
package struct KeyChange: Sendable, Equatable {
    package var id: Int64
    package var userID: Int64
    package var deviceID: Int64
    package var added: Bool
    package var identityKey: [UInt8]
    package var createdAt: Int64

    static let columns = "id, user_id, device_id, change, identity_key, created_at"

    init(id: Int64, userID: Int64, deviceID: Int64, added: Bool, identityKey: [UInt8], createdAt: Int64) {
        self.id = id
        self.userID = userID
        self.deviceID = deviceID
        self.added = added
        self.identityKey = identityKey
        self.createdAt = createdAt
    }

    init(row: any StoreRow) {
        id = row.int64(0)
        userID = row.int64(1)
        deviceID = row.int64(2)
        added = row.string(3) == "added"
        identityKey = row.bytes(4)
        createdAt = row.int64(5)
    }
}

/// A device whose one-time prekeys fell below `KeyLimits.lowThreshold` with a claim.
package struct LowPrekeys: Sendable, Equatable {
    package var userID: Int64
    package var deviceID: Int64
    package var remaining: Int
}

/// Bounds of the key service.
package enum KeyLimits {
    /// Devices a user may have at once.
    package static let maximumDevices = 16
    /// One-time prekeys per upload, and stored per device.
    package static let maximumBatch = 100
    package static let maximumStored = 500
    /// A claim leaving fewer than this sends the device `keys.low` (once until it uploads).
    package static let lowThreshold = 10
    /// Target devices per claim.
    package static let maximumClaim = 100
    package static let maximumNameLength = 64
}
