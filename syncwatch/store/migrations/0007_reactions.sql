-- migration: 0007_reactions (emoji reactions at a moment of a video)

-- One row per reaction sent in a room: who, which emoji, and where in which
-- source (`media_time_ms` of `source_id`), so the room's timeline can show it
-- and replay it when the room watches that part again. Gone with the room.
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
