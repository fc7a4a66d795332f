-- Uploads, version 2: indexes for downloads and for the sweep of uploads never attached
-- (as migrations/0002_uploads.sql).
CREATE INDEX users_avatar_upload ON users (avatar_upload_id) WHERE avatar_upload_id IS NOT NULL;
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_unattached_created ON uploads (created_at) WHERE attached = 0;
