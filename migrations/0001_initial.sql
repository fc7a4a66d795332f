-- Pace schema, version 1.
-- Conventions: every timestamp is INTEGER milliseconds since the Unix epoch (UTC); booleans are
-- INTEGER 0/1 guarded by CHECK; tables are STRICT so a wrongly typed bind fails loudly instead of
-- being stored as text. Rows that are only ever looked up by a composite key are WITHOUT ROWID.
-- Users, conversations and messages are never hard-deleted by the API (messages are soft-deleted),
-- so foreign keys pointing at them need no child-side index except where a query needs one.

-- One row: the server-wide sequence. Every stored message takes `seq` from it and every change to
-- a message (edit, delete, reaction) takes a fresh `version` from it, so `?since=SEQ` replay is a
-- single cursor. The writer persists its in-memory counter here inside each commit.
CREATE TABLE sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL CHECK (value >= 0)
) STRICT;
INSERT INTO sequence (id, value) VALUES (1, 0);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    -- NOCASE makes uniqueness, equality and the prefix-search index case-insensitive; usernames
    -- are ASCII ([a-z0-9_.-]), which is exactly what NOCASE folds.
    username         TEXT NOT NULL COLLATE NOCASE UNIQUE
                     CHECK (length(username) BETWEEN 3 AND 32),
    display_name     TEXT NOT NULL COLLATE NOCASE,
    password_hash    TEXT NOT NULL,
    avatar_upload_id INTEGER REFERENCES uploads (id) ON DELETE SET NULL,
    status_text      TEXT NOT NULL DEFAULT '',
    role             TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    created_at       INTEGER NOT NULL,
    last_seen_at     INTEGER
) STRICT;
-- The UNIQUE constraint already indexes username (NOCASE); this one serves display-name prefix
-- search (`display_name >= ? AND display_name < ?`, or LIKE 'p%' which SQLite rewrites to that).
CREATE INDEX users_display_name ON users (display_name COLLATE NOCASE);

-- Refresh tokens are stored only as SHA-256 hashes. Rotation marks the old token used and points
-- at its successor; presenting a used token revokes its whole family.
CREATE TABLE refresh_tokens (
    token_hash  BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    replaced_by BLOB,
    revoked_at  INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    type              TEXT NOT NULL CHECK (type IN ('direct', 'group')),
    title             TEXT,
    owner_id          INTEGER NOT NULL REFERENCES users (id),
    created_at        INTEGER NOT NULL,
    -- The sequence value of the latest activity (creation or newest message): the sort key for
    -- "most recent activity first".
    last_activity_seq INTEGER NOT NULL DEFAULT 0,
    -- "minUserId:maxUserId" for direct conversations, NULL for groups: the UNIQUE constraint makes
    -- the database itself guarantee one direct conversation per pair, even under racing creates.
    direct_key        TEXT UNIQUE,
    CHECK ((type = 'direct') = (direct_key IS NOT NULL))
) STRICT;
CREATE INDEX conversations_activity ON conversations (last_activity_seq);

CREATE TABLE members (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    role            TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
    joined_at       INTEGER NOT NULL,
    -- Read markers are sequence values, so "unread" is a range count on messages(conversation_id, seq).
    last_read_seq   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX members_user ON members (user_id);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    seq             INTEGER NOT NULL UNIQUE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    sender_id       INTEGER NOT NULL REFERENCES users (id),
    body            TEXT NOT NULL DEFAULT '',
    client_id       TEXT,
    reply_to_id     INTEGER REFERENCES messages (id),
    created_at      INTEGER NOT NULL,
    edited_at       INTEGER,
    -- The sequence value of the latest change; equal to seq until the message is changed.
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    CHECK (version >= seq)
) STRICT;
-- Idempotent sends: a repeated client_id from the same sender finds the first message.
CREATE UNIQUE INDEX messages_client_id ON messages (sender_id, client_id) WHERE client_id IS NOT NULL;
-- Pages of a conversation and the "new since SEQ" half of replay.
CREATE INDEX messages_conversation_seq ON messages (conversation_id, seq);
-- The "changed since SEQ" half of replay (edits, deletes, reactions on older messages).
CREATE INDEX messages_conversation_version ON messages (conversation_id, version);

CREATE TABLE uploads (
    id           INTEGER PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES users (id),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    size         INTEGER NOT NULL CHECK (size >= 0),
    content_type TEXT NOT NULL,
    filename     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    attached     INTEGER NOT NULL DEFAULT 0 CHECK (attached IN (0, 1))
) STRICT;
CREATE INDEX uploads_owner ON uploads (owner_id);

CREATE TABLE message_attachments (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    upload_id  INTEGER NOT NULL REFERENCES uploads (id),
    position   INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (message_id, upload_id)
) STRICT, WITHOUT ROWID;
-- Download authorisation walks from an upload to the conversations it was shared in.
CREATE INDEX message_attachments_upload ON message_attachments (upload_id);

CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    emoji      TEXT NOT NULL CHECK (length(emoji) BETWEEN 1 AND 64),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
) STRICT, WITHOUT ROWID;

-- Full-text search over message bodies. External content: the text lives once, in messages; the
-- index holds exactly the rows that are not deleted and have a body, and each 'delete' below
-- passes the exact values that were indexed, as FTS5 requires.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- New messages are not indexed by an insert trigger. FTS5 flushes its in-memory index at every
-- savepoint, and the group-commit writer opens one per write, so indexing row by row writes and
-- merges an index segment per message (it caps throughput near 30k inserts/s). Instead the
-- writer indexes, with one bulk INSERT inside a commit, every message whose seq is above
-- `indexed_seq`, then raises it (Database.beforeCommit). seq values only grow and are never
-- reused, so "seq > indexed_seq" is exactly the set not yet indexed. Messages committed by other
-- tools are indexed by the next store open.
CREATE TABLE messages_fts_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_seq INTEGER NOT NULL
) STRICT;
INSERT INTO messages_fts_state (id, indexed_seq) VALUES (1, 0);

-- Edits and deletions are rare: they update the index directly for indexed messages; a message
-- not indexed yet will be indexed in its final state.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, deleted ON messages
WHEN old.seq <= (SELECT indexed_seq FROM messages_fts_state)
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        SELECT 'delete', old.id, old.body WHERE old.deleted = 0 AND old.body <> '';
    INSERT INTO messages_fts (rowid, body)
        SELECT new.id, new.body WHERE new.deleted = 0 AND new.body <> '';
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.deleted = 0 AND old.body <> '' AND old.seq <= (SELECT indexed_seq FROM messages_fts_state)
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
