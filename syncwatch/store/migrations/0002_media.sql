-- migration: 0002_media (uploaded videos and the transcode queue)

-- Uploaded videos (syncwatch.media): one row per finished upload, whether it
-- became playable HLS or failed. `media_info` is the probe result as JSON.
CREATE TABLE videos (
    id TEXT PRIMARY KEY,
    uploader_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_code TEXT,
    filename TEXT NOT NULL,
    original_size BIGINT NOT NULL,
    duration_ms BIGINT,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL,
    error TEXT,
    source_key TEXT NOT NULL,
    manifest_key TEXT,
    media_info TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX videos_uploader_id_idx ON videos (uploader_id);
CREATE INDEX videos_expires_at_idx ON videos (expires_at);

-- The transcode queue: pending -> processing -> ready | failed. A worker
-- claims a row and keeps `heartbeat_at` fresh; a row whose heartbeat went
-- stale belongs to a dead worker and is claimed again.
CREATE TABLE transcode_jobs (
    id TEXT PRIMARY KEY,
    video_id TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    claims INTEGER NOT NULL,
    worker_id TEXT,
    heartbeat_at BIGINT,
    run_after BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX transcode_jobs_status_run_after_idx ON transcode_jobs (status, run_after);
CREATE INDEX transcode_jobs_video_id_idx ON transcode_jobs (video_id);
