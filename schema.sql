-- schema-version: 11
-- The whole current SyncWatch schema, valid on both PostgreSQL 15 and SQLite 3.
-- Ids are TEXT UUIDv7 (syncwatch.ids.new_id), times are BIGINT Unix epoch
-- milliseconds, JSON is TEXT. A fresh database is built from this file; an
-- older one is brought here by syncwatch/store/migrations/NNNN_*.sql deltas.

CREATE TABLE schema_version (
    version INTEGER NOT NULL,
    applied_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    avatar_url TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- 'online' | 'busy' | 'invisible': chosen by the user (syncwatch.social.presence)
    presence_status TEXT NOT NULL DEFAULT 'online'
);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    guest_name TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT,
    -- the sign-in's browser, address and start: shown in the account's session list
    user_agent TEXT,
    client_ip TEXT,
    session_started_at BIGINT
);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_subject_id_idx ON refresh_tokens (subject_id);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);

CREATE TABLE rooms (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users (id),
    max_participants INTEGER NOT NULL,
    password_hash TEXT,
    playback_control TEXT NOT NULL,
    auto_handover BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_active_at BIGINT NOT NULL,
    deleted_at BIGINT,
    privacy TEXT NOT NULL DEFAULT 'public',
    guests_allowed BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX rooms_owner_id_created_at_idx ON rooms (owner_id, created_at);
CREATE INDEX rooms_expires_at_idx ON rooms (expires_at);

-- `fence`: the largest room-lease fencing token that claimed the room (ADR 0015);
-- a snapshot write carrying a smaller one comes from an owner that lost the room.
CREATE TABLE room_snapshots (
    room_id TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
    sequence_number BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    fence BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE room_participants (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    is_guest BOOLEAN NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    left_at BIGINT,
    UNIQUE (room_id, subject_id)
);
CREATE INDEX room_participants_subject_id_last_seen_at_idx
    ON room_participants (subject_id, last_seen_at);

CREATE TABLE room_bans (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    banned_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    device_id TEXT,
    address TEXT,
    PRIMARY KEY (room_id, subject_id)
);
CREATE INDEX room_bans_room_id_device_id_idx ON room_bans (room_id, device_id);
CREATE INDEX room_bans_room_id_address_idx ON room_bans (room_id, address);

CREATE TABLE chat_messages (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id TEXT,
    username TEXT,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    event TEXT,
    created_at BIGINT NOT NULL,
    visible_to TEXT,
    hidden_reason TEXT
);
CREATE INDEX chat_messages_room_id_id_idx ON chat_messages (room_id, id);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    actor_id TEXT,
    actor_ip TEXT,
    target_type TEXT,
    target_id TEXT,
    metadata TEXT NOT NULL,
    success BOOLEAN NOT NULL
);
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at);
CREATE INDEX audit_log_actor_id_idx ON audit_log (actor_id);
CREATE INDEX audit_log_target_id_idx ON audit_log (target_id);
CREATE INDEX audit_log_event_type_idx ON audit_log (event_type);

CREATE TABLE friendships (
    requester_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    addressee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (requester_id, addressee_id)
);
CREATE INDEX friendships_addressee_id_idx ON friendships (addressee_id);
-- One row per pair whichever way it points (a request crossing another is refused).
CREATE UNIQUE INDEX friendships_pair_idx ON friendships ((CASE WHEN requester_id < addressee_id THEN requester_id ELSE addressee_id END), (CASE WHEN requester_id < addressee_id THEN addressee_id ELSE requester_id END));

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

-- Subtitle tracks of uploaded videos (syncwatch.media.subtitles): uploaded
-- beside the video ('upload') or extracted from it while transcoding
-- ('embedded'); each is a cleaned WebVTT object at `storage_key`.
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

-- Who was invited to which room (syncwatch.rooms.admission): a private room
-- admits its owner and the people invited to it.
CREATE TABLE room_invitations (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    invitee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    inviter_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, invitee_id)
);
CREATE INDEX room_invitations_invitee_id_idx ON room_invitations (invitee_id);

-- Reports about a room member, for operators (`syncwatch admin reports`).
-- They outlive the room; `evidence` is JSON (chat lines, the member's recent
-- system events, the room's settings).
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    room_code TEXT NOT NULL,
    reporter_id TEXT NOT NULL,
    reporter_name TEXT NOT NULL,
    reported_id TEXT NOT NULL,
    reported_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by TEXT,
    resolution TEXT
);
CREATE INDEX reports_status_created_at_idx ON reports (status, created_at);
CREATE INDEX reports_reported_id_idx ON reports (reported_id);

-- Who blocked whom: a blocked person can't send a request, invite, or see presence.
CREATE TABLE user_blocks (
    blocker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX user_blocks_blocked_id_idx ON user_blocks (blocked_id);

-- The notification centre: friend requests, invitations, reminders. `data` is
-- JSON in the protocol's shape; `read_at` is NULL until the user has seen it.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user_id_created_at_idx ON notifications (user_id, created_at);

CREATE TABLE reactions (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    username TEXT NOT NULL,
    emoji TEXT NOT NULL,
    media_time_ms BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX reactions_room_id_source_id_idx ON reactions (room_id, source_id, media_time_ms);

-- What a registered user watched, when, and with whom (`companions`: a JSON
-- list of names). Kept 90 days (the janitor), clearable by its owner.
CREATE TABLE watch_history (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_code TEXT NOT NULL,
    room_name TEXT NOT NULL,
    source_type TEXT,
    source_id TEXT,
    title TEXT NOT NULL,
    companions TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT NOT NULL
);
CREATE INDEX watch_history_user_id_ended_at_idx ON watch_history (user_id, ended_at);
CREATE INDEX watch_history_ended_at_idx ON watch_history (ended_at);

-- A room's settings saved under a name (`settings`: JSON), to create rooms from.
CREATE TABLE room_templates (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX room_templates_owner_id_idx ON room_templates (owner_id);

-- A room that opens at `starts_at`: its owner and invitees are reminded 10
-- minutes before and at the start (each flag set once the reminder went out).
CREATE TABLE room_schedules (
    room_id TEXT PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    reminded_early BOOLEAN NOT NULL DEFAULT FALSE,
    reminded_start BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX room_schedules_starts_at_idx ON room_schedules (starts_at);

-- One-time password reset links (`syncwatch admin reset-password`): only the
-- SHA-256 of the secret is stored; a link is used once, within 30 minutes.
CREATE TABLE password_resets (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
