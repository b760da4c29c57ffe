-- migration: 0008_evenings (watch history, room templates, scheduled rooms)

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
