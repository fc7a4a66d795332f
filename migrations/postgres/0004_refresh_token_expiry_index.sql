-- Expired refresh tokens can be purged (as migrations/0004_refresh_token_expiry_index.sql).
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);
