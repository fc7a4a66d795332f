-- Pace schema, version 4: expired refresh tokens can be purged.
-- Every refresh adds a row (rotation keeps the used token, so presenting it again is caught as
-- reuse), and nothing removed them: the table grew by one row per refresh forever. The server
-- now deletes rows a week past their expiry in small batches; this index makes finding them a
-- range scan instead of a pass over the whole table.
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);
