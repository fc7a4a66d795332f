-- Pace schema, version 11 (PostgreSQL): the same meaning as migrations/0011_identity.sql, which
-- explains each column.

CREATE TABLE oidc_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

CREATE TABLE oidc_logins (
    state_hash    BYTEA PRIMARY KEY CHECK (length(state_hash) = 32),
    nonce         TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    expires_at    BIGINT NOT NULL
);

CREATE TABLE oidc_sign_in_codes (
    code_hash  BYTEA PRIMARY KEY CHECK (length(code_hash) = 32),
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

ALTER TABLE users ADD COLUMN muted_until BIGINT;
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
