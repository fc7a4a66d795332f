-- Pace schema, version 6: public channels (issue 17).
-- A channel is a conversation whose type stays 'group' in `conversations` (its CHECK cannot be
-- widened in SQLite without rebuilding a table that members and messages reference) and that has
-- a row here; the API reports it as type `channel`. `name_key` is the normalised name (see
-- ChannelName.swift) and carries the uniqueness; discovery pages through it in order.
CREATE TABLE channels (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    name_key        TEXT NOT NULL UNIQUE,
    topic           TEXT NOT NULL DEFAULT '',
    purpose         TEXT NOT NULL DEFAULT '',
    archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- Announcement channels: only the owner and admins post.
    admins_only     INTEGER NOT NULL DEFAULT 0 CHECK (admins_only IN (0, 1)),
    -- The sequence value of the latest change to the channel or its members, so `?since=SEQ`
    -- replays `conversation.updated` for channels changed after SEQ.
    version         INTEGER NOT NULL
) STRICT;

-- A member muted by an owner or admin may not post before this time (milliseconds; 0 = never).
ALTER TABLE members ADD COLUMN muted_until INTEGER NOT NULL DEFAULT 0;
