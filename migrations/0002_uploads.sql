-- Uploads, version 2: indexes for downloads and for the sweep of uploads never attached.

-- "Is this upload someone's avatar?": asked by downloads and by the sweep.
CREATE INDEX users_avatar_upload ON users (avatar_upload_id) WHERE avatar_upload_id IS NOT NULL;

-- Uploads of the same bytes share one content file; it is deleted only when no row uses it.
CREATE INDEX uploads_sha256 ON uploads (sha256);

-- The sweep's candidates, by age.
CREATE INDEX uploads_unattached_created ON uploads (created_at) WHERE attached = 0;
