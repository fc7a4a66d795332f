import PaceCrypto
import PaceJSON

/// JSON of devices, bundles and key changes; keys and signatures as standard base64.
package enum KeyEncoder {
    package static func write(_ device: DeviceRecord, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(device.id))
        writer.key("user_id"); writer.string(String(device.userID))
        writer.key("name"); writer.string(device.name)
        writer.key("identity_key"); writer.string(Base64.standard.encode(device.identityKey))
        writer.key("signed_prekey"); write(device.signedPrekey, into: &writer)
        if let count = device.oneTimePrekeyCount { writer.key("one_time_prekey_count"); writer.int(count) }
        writer.key("created_at"); writer.timestamp(milliseconds: device.createdAt)
        writer.endObject()
    }

    package static func write(_ signed: SignedPrekey, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("key_id"); writer.int(signed.keyID)
        writer.key("public_key"); writer.string(Base64.standard.encode(signed.publicKey))
        writer.key("signature"); writer.string(Base64.standard.encode(signed.signature))
        writer.endObject()
    }

    package static func write(_ bundle: KeyBundle, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("device_id"); writer.string(String(bundle.device.id))
        writer.key("user_id"); writer.string(String(bundle.device.userID))
        writer.key("identity_key"); writer.string(Base64.standard.encode(bundle.device.identityKey))
        writer.key("signed_prekey"); write(bundle.device.signedPrekey, into: &writer)
        writer.key("one_time_prekey")
        if let key = bundle.oneTimePrekey {
            writer.beginObject()
            writer.key("key_id"); writer.int(key.keyID)
            writer.key("public_key"); writer.string(Base64.standard.encode(key.publicKey))
            writer.endObject()
        } else {
            writer.null()
        }
        writer.endObject()
    }

    package static func write(_ change: KeyChange, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(change.id))
        writer.key("user_id"); writer.string(String(change.userID))
        writer.key("device_id"); writer.string(String(change.deviceID))
        writer.key("change"); writer.string(change.added ? "added" : "removed")
        writer.key("identity_key"); writer.string(Base64.standard.encode(change.identityKey))
        writer.key("created_at"); writer.timestamp(milliseconds: change.createdAt)
        writer.endObject()
    }

    package static func encode(_ change: KeyChange) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        write(change, into: &writer)
        return writer.bytes
    }
}
