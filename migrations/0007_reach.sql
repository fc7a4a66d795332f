-- Pace schema, version 7: reaching people and systems that are not connected. Outgoing
-- webhooks and their durable outbox, bot accounts and incoming webhooks.
-- migrations/postgres/0007_reach.sql has the same meaning.

-- Admin-registered receivers. `events` is the filter, space-separated and space-padded
-- (' message.created member.joined ') so a trigger matches one name with instr(). `secret`
-- signs every delivery (HMAC-SHA256); it is shown once, when the webhook is created.
-- `failures` counts failed attempts in a row across deliveries; past the server's limit the
-- webhook is disabled (`enabled` = 0) and its pending deliveries fail.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    events     TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    failures   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) STRICT;

-- The outbox: one row per webhook per event, written by the triggers below in the same
-- transaction as the change, so a committed change always has its deliveries and a rolled-back
-- one never does. The payload is fixed when written, so every retry sends the same bytes.
-- The row's id is the idempotency id receivers see. `state` is 'pending' until delivered
-- (a 2xx answer) or failed (gave up: retry window over, webhook disabled or refused address).
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);

CREATE TRIGGER webhook_message_created AFTER INSERT ON messages
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at, created_at)
    SELECT w.id, 'message.created',
           json_object('event', 'message.created', 'conversation_id', CAST(new.conversation_id AS TEXT),
                       'message', json_object('id', CAST(new.id AS TEXT), 'sender_id', CAST(new.sender_id AS TEXT),
                                              'kind', new.kind, 'body', new.body, 'created_at_ms', new.created_at)),
           new.created_at, new.created_at
    FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, ' message.created ') > 0;
END;

CREATE TRIGGER webhook_member_joined AFTER INSERT ON members
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at, created_at)
    SELECT w.id, 'member.joined',
           json_object('event', 'member.joined', 'conversation_id', CAST(new.conversation_id AS TEXT),
                       'user_id', CAST(new.user_id AS TEXT), 'role', new.role, 'joined_at_ms', new.joined_at),
           new.joined_at, new.joined_at
    FROM webhooks w WHERE w.enabled = 1 AND instr(w.events, ' member.joined ') > 0;
END;

-- Bot accounts: a `users` row (password_hash '!', which no password verifies) owned by the
-- user who created it. Bots sign in with long-lived tokens, stored only as SHA-256 hex; a
-- token is exchanged for a short-lived access token (`POST /api/v1/auth/bot`), so a bot posts
-- over REST and WebSocket exactly as a person does. Revoked tokens keep their row (listing).
CREATE TABLE bots (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    owner_id   INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX bots_owner ON bots (owner_id);

CREATE TABLE bot_tokens (
    id         INTEGER PRIMARY KEY,
    bot_id     INTEGER NOT NULL REFERENCES bots (user_id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX bot_tokens_bot ON bot_tokens (bot_id);

-- Incoming webhooks: a secret URL (`POST /api/v1/hooks/{token}`) that posts into one
-- conversation as one bot, which must be a member when the message is posted.
CREATE TABLE incoming_webhooks (
    id              INTEGER PRIMARY KEY,
    bot_id          INTEGER NOT NULL REFERENCES bots (user_id),
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL
) STRICT;
