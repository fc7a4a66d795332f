-- Pace schema, version 11: OpenID Connect sign-in, server-wide mutes and account deletion.

-- An external identity linked to an account: the provider's issuer and its `sub` claim, the
-- only pair OpenID Connect promises is stable and unique (Core §5.7). Accounts are linked by
-- this pair alone, never by e-mail address.
CREATE TABLE oidc_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
) STRICT, WITHOUT ROWID;
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- Sign-ins sent to the provider and not yet back: the SHA-256 of the `state`, the `nonce` the
-- ID token must carry and the PKCE verifier. A callback deletes its row, so each is used once.
CREATE TABLE oidc_logins (
    state_hash    BLOB PRIMARY KEY CHECK (length(state_hash) = 32),
    nonce         TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    expires_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- One-time codes handing a finished sign-in to the client (SHA-256 hashed, a minute long),
-- traded for the same tokens as /login at POST /api/v1/auth/oidc/token.
CREATE TABLE oidc_sign_in_codes (
    code_hash  BLOB PRIMARY KEY CHECK (length(code_hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- A server-wide mute by a moderator: posting is refused until this time (NULL: not muted).
ALTER TABLE users ADD COLUMN muted_until INTEGER;
-- When the account was deleted (NULL while it exists): the row stays, anonymised, so the
-- conversations it took part in keep their shape; see README "Deleting an account".
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
