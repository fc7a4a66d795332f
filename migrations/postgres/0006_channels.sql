-- Pace schema, version 6 (PostgreSQL): public channels, as migrations/0006_channels.sql, which
-- explains each column.
CREATE TABLE channels (
    conversation_id BIGINT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    name_key        TEXT NOT NULL UNIQUE,
    topic           TEXT NOT NULL DEFAULT '',
    purpose         TEXT NOT NULL DEFAULT '',
    archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    admins_only     INTEGER NOT NULL DEFAULT 0 CHECK (admins_only IN (0, 1)),
    version         BIGINT NOT NULL
);

ALTER TABLE members ADD COLUMN muted_until BIGINT NOT NULL DEFAULT 0;

CREATE TABLE mentions (
    user_id         BIGINT NOT NULL REFERENCES users (id),
    conversation_id BIGINT NOT NULL,
    seq             BIGINT NOT NULL,
    message_id      BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    explicit        INTEGER NOT NULL CHECK (explicit IN (0, 1)),
    PRIMARY KEY (user_id, conversation_id, seq)
);
CREATE INDEX mentions_message ON mentions (message_id);
CREATE INDEX mentions_user_seq ON mentions (user_id, seq);

ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'all' CHECK (notify IN ('all', 'mentions', 'none'));
ALTER TABLE members ADD COLUMN notify_muted_until BIGINT NOT NULL DEFAULT 0;

CREATE TABLE thread_replies (
    message_id BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    root_id    BIGINT NOT NULL REFERENCES messages (id)
);
CREATE INDEX thread_replies_root ON thread_replies (root_id, message_id);

CREATE TABLE threads (
    root_id       BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    reply_count   BIGINT NOT NULL CHECK (reply_count >= 0),
    last_reply_at BIGINT NOT NULL
);

CREATE TABLE thread_members (
    root_id     BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    participant INTEGER NOT NULL DEFAULT 0 CHECK (participant IN (0, 1)),
    following   INTEGER NOT NULL DEFAULT 1 CHECK (following IN (0, 1)),
    PRIMARY KEY (root_id, user_id)
);

ALTER TABLE members ADD COLUMN read_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX members_read_version ON members (conversation_id, read_version);

CREATE TABLE message_edits (
    message_id  BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    replaced_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, version)
);

CREATE TABLE pins (
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    pinned_by       BIGINT NOT NULL REFERENCES users (id),
    pinned_at       BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);
CREATE INDEX pins_message ON pins (message_id);

CREATE TABLE blocks (
    blocker_id BIGINT NOT NULL REFERENCES users (id),
    blocked_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);
