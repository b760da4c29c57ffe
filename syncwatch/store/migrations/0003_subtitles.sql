-- migration: 0003_subtitles (subtitle tracks of uploaded videos)

-- One row per WebVTT track of an uploaded video: uploaded beside it (origin
-- 'upload') or extracted from the file during transcoding ('embedded'). The
-- track itself is the object at `storage_key`, already converted and cleaned.
CREATE TABLE video_subtitles (
    id TEXT PRIMARY KEY,
    video_id TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    language TEXT,
    origin TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX video_subtitles_video_id_idx ON video_subtitles (video_id, created_at);
