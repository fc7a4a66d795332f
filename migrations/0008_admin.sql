-- Pace schema, version 8: server roles, deactivation and the audit log.

-- The server role: `users.role` (user|admin) stays as the legacy admin flag, kept equal to
-- 'admin' exactly when server_role is 'admin', because SQLite cannot widen a CHECK without
-- rebuilding the table. Every privileged route reads server_role from here, never from a token.
ALTER TABLE users ADD COLUMN server_role TEXT NOT NULL DEFAULT 'user'
    CHECK (server_role IN ('user', 'moderator', 'admin'));
UPDATE users SET server_role = role;
-- When an admin deactivated the account (NULL while active): login is refused and every login
-- session was revoked at that moment.
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;

-- Every privileged action, allowed or refused: who, what, on what, when and from where. Rows
-- are only ever appended (the triggers below refuse updates and deletes); `id` is the cursor.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    actor_id    INTEGER NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   INTEGER,
    outcome     TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied')),
    detail      TEXT NOT NULL DEFAULT '',
    client      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Invite codes for PACE_REGISTRATION=invite, stored as SHA-256 hashes like refresh tokens:
-- each registration takes one use; an expired or used-up code is refused.
CREATE TABLE invites (
    code_hash  BLOB PRIMARY KEY CHECK (length(code_hash) = 32),
    created_by INTEGER NOT NULL,
    uses_left  INTEGER NOT NULL CHECK (uses_left >= 0),
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Members report a message to the server's moderators; one report per reporter and message.
CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL,
    reporter_id     INTEGER NOT NULL REFERENCES users (id),
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    created_at      INTEGER NOT NULL,
    resolved_by     INTEGER,
    resolved_at     INTEGER,
    note            TEXT NOT NULL DEFAULT '',
    UNIQUE (message_id, reporter_id)
) STRICT;
CREATE INDEX reports_status ON reports (status, id);

-- Per-conversation bans by a group's owner or admins: a banned user cannot be added back.
CREATE TABLE conversation_bans (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    banned_by       INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) STRICT, WITHOUT ROWID;

-- Per-conversation retention in days (NULL: the server's PACE_RETENTION_DAYS alone applies).
ALTER TABLE conversations ADD COLUMN retention_days INTEGER CHECK (retention_days > 0);
