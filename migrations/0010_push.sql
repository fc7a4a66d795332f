-- Pace schema, version 10: Web Push (RFC 8030, 8291, 8292) to members with no open socket.
-- migrations/postgres/0010_push.sql has the same meaning.

-- One row per browser or device (`endpoint`, the push service URL, is unique: a browser that
-- subscribes again under another account moves to it). `p256dh` (a 65-byte uncompressed P-256
-- point) and `auth` (16 bytes) are kept as the browser sent them, base64url.
CREATE TABLE push_subscriptions (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    endpoint   TEXT NOT NULL UNIQUE,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- Messages that may owe pushes, written by the trigger in the message's own transaction so a
-- committed message is never lost to a restart. The dispatcher expands each one (after the
-- coalescing window) into `push_deliveries` for the members who are offline then and whose
-- notification level allows it, at most 1000 subscriptions per transaction (so a huge channel
-- never holds the writer for long): `next_subscription` is where the next step resumes, and
-- the last step deletes the row. A step first updates the row on the cursor it read, so with
-- several servers on one PostgreSQL database each step is taken once. Only written while
-- anyone is subscribed.
CREATE TABLE push_messages (
    message_id      INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    next_subscription INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX push_messages_due ON push_messages (created_at);

CREATE TRIGGER push_message_created AFTER INSERT ON messages
WHEN EXISTS (SELECT 1 FROM push_subscriptions)
BEGIN
    INSERT INTO push_messages (message_id, conversation_id, created_at) VALUES (new.id, new.conversation_id, new.created_at);
END;

-- Pushes owed: at most one per subscription and conversation, so a burst collapses into one
-- push (the newest message; `collapsed` counts the messages it stands for). `payload` is the
-- JSON shown to the user, fixed at expansion; it is encrypted afresh at every attempt.
-- `next_attempt_at` is the backoff after a failure and the lease while an attempt is in flight.
-- Rows are deleted once the push service accepts them (or gives the subscription up).
CREATE TABLE push_deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    urgency         TEXT NOT NULL CHECK (urgency IN ('normal', 'high')),
    collapsed       INTEGER NOT NULL DEFAULT 1,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (subscription_id, conversation_id)
) STRICT;
CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_at);
