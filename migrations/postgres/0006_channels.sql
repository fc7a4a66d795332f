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
