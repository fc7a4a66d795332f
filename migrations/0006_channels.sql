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

-- Mentions: one row per mentioned member of a message, so a member's mention count above their
-- read marker is a range count on the primary key (user_id, conversation_id, seq) and never
-- reads messages. `explicit` is 1 for `@username`, 0 for members reached by `@channel` or `@here`
-- (only explicit ones are listed in the message's `mentions`). Edits replace a message's rows;
-- deletes remove them, so the counts stay exact.
CREATE TABLE mentions (
    user_id         INTEGER NOT NULL REFERENCES users (id),
    conversation_id INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    explicit        INTEGER NOT NULL CHECK (explicit IN (0, 1)),
    PRIMARY KEY (user_id, conversation_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX mentions_message ON mentions (message_id);
-- GET /me/mentions, newest first.
CREATE INDEX mentions_user_seq ON mentions (user_id, seq);

-- A member's notification level for the conversation and a time before which it is silenced.
ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'all' CHECK (notify IN ('all', 'mentions', 'none'));
ALTER TABLE members ADD COLUMN notify_muted_until INTEGER NOT NULL DEFAULT 0;

-- Threads. A reply names its root (`thread_root`); a root is never itself a reply, and both are
-- in one conversation. `threads` keeps each root's reply count (live replies) and newest reply
-- time; `thread_members` its participants (repliers) and followers (the root's author and the
-- repliers follow by default; `following = 0` records an explicit unfollow).
CREATE TABLE thread_replies (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    root_id    INTEGER NOT NULL REFERENCES messages (id)
) STRICT;
CREATE INDEX thread_replies_root ON thread_replies (root_id, message_id);

CREATE TABLE threads (
    root_id       INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    reply_count   INTEGER NOT NULL CHECK (reply_count >= 0),
    last_reply_at INTEGER NOT NULL
) STRICT;

CREATE TABLE thread_members (
    root_id     INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    participant INTEGER NOT NULL DEFAULT 0 CHECK (participant IN (0, 1)),
    following   INTEGER NOT NULL DEFAULT 1 CHECK (following IN (0, 1)),
    PRIMARY KEY (root_id, user_id)
) STRICT, WITHOUT ROWID;

-- Read state: each move of a member's read marker takes a sequence value, so `?since=SEQ` replays
-- the newest read position of every member of the user's conversations that moved after SEQ
-- (one `receipt` per member and conversation: coalesced).
ALTER TABLE members ADD COLUMN read_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX members_read_version ON members (conversation_id, read_version);

-- Edit history: the body each edit replaced, with the version it had and when it was replaced.
-- Deleting a message deletes its history with its body.
CREATE TABLE message_edits (
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    replaced_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, version)
) STRICT, WITHOUT ROWID;

-- Pins. Pinning and unpinning give the message a fresh version, so both reach members as
-- `message.updated` (with `pinned`) and replay like any other change.
CREATE TABLE pins (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    pinned_by       INTEGER NOT NULL REFERENCES users (id),
    pinned_at       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX pins_message ON pins (message_id);

-- Blocking: no new direct conversation between the two, direct messages refused either way,
-- and the blocked user's messages flagged for the blocker in shared groups.
CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES users (id),
    blocked_id INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);
