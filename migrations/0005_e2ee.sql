-- Pace schema, version 5: end-to-end encryption (devices, prekeys, key-change log, per-device
-- ciphertexts) and message kinds (encrypted messages, missed calls). The server stores public
-- keys and opaque ciphertexts only; it never holds a private key or a plaintext of an
-- encrypted message. migrations/postgres/0005_e2ee.sql has the same meaning.

-- A user's devices. `identity_key` is the device's long-term Ed25519 public key and never
-- changes: a new identity is a new device (and a key-change log entry). The signed prekey is an
-- X25519 public key whose Ed25519 signature by the identity key the server verified on upload.
-- `prekey_high` is the highest one-time prekey id ever uploaded: ids only grow, so an id is
-- never handed out twice even after its key was claimed and deleted.
CREATE TABLE devices (
    id                      INTEGER PRIMARY KEY,
    user_id                 INTEGER NOT NULL REFERENCES users (id),
    name                    TEXT NOT NULL DEFAULT '',
    identity_key            BLOB NOT NULL CHECK (length(identity_key) = 32),
    signed_prekey_id        INTEGER NOT NULL CHECK (signed_prekey_id >= 0),
    signed_prekey           BLOB NOT NULL CHECK (length(signed_prekey) = 32),
    signed_prekey_signature BLOB NOT NULL CHECK (length(signed_prekey_signature) = 64),
    prekey_high             INTEGER NOT NULL DEFAULT 0,
    -- Whether `keys.low` was sent since the count last rose above the threshold.
    low_notified            INTEGER NOT NULL DEFAULT 0 CHECK (low_notified IN (0, 1)),
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
) STRICT;
CREATE INDEX devices_user ON devices (user_id);

-- Unused one-time prekeys (X25519 public keys). A claim deletes the row it hands out in the
-- same write transaction, so no two claimers ever get the same key.
CREATE TABLE one_time_prekeys (
    device_id  INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    key_id     INTEGER NOT NULL CHECK (key_id > 0),
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    PRIMARY KEY (device_id, key_id)
) STRICT, WITHOUT ROWID;

-- Key transparency, light: every device added to or removed from a user, with its identity key,
-- in order. Clients compare it with what they pinned ("security number changed").
CREATE TABLE key_changes (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    device_id    INTEGER NOT NULL,
    change       TEXT NOT NULL CHECK (change IN ('added', 'removed')),
    identity_key BLOB NOT NULL CHECK (length(identity_key) = 32),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX key_changes_user ON key_changes (user_id, id);

-- What each recipient device gets of an encrypted message: opaque bytes, never indexed.
CREATE TABLE message_ciphertexts (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    device_id  INTEGER NOT NULL,
    ciphertext BLOB NOT NULL,
    PRIMARY KEY (message_id, device_id)
) STRICT, WITHOUT ROWID;

-- 'text' (a body), 'encrypted' (an empty body and per-device ciphertexts) or 'missed_call' (a
-- call nobody answered; the body names it for clients that do not know the kind).
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'
    CHECK (kind IN ('text', 'encrypted', 'missed_call'));

-- Set by the first encrypted message; from then on the conversation takes only encrypted ones.
ALTER TABLE conversations ADD COLUMN e2ee INTEGER NOT NULL DEFAULT 0 CHECK (e2ee IN (0, 1));
