-- migration: 0005_moderation (who may join a room, bans that hold, chat lines few see, reports)

-- A room's privacy preset ('public', 'friends_only', 'private', 'anonymous')
-- and whether guest accounts may join it; checked on every join.
ALTER TABLE rooms ADD COLUMN privacy TEXT NOT NULL DEFAULT 'public';
ALTER TABLE rooms ADD COLUMN guests_allowed BOOLEAN NOT NULL DEFAULT TRUE;

-- A ban also holds the banned person's device (the `sw_device` cookie) and,
-- for a guest, the address they came from, so a fresh guest identity from
-- the same browser or network is still refused.
ALTER TABLE room_bans ADD COLUMN device_id TEXT;
ALTER TABLE room_bans ADD COLUMN address TEXT;
CREATE INDEX room_bans_room_id_device_id_idx ON room_bans (room_id, device_id);
CREATE INDEX room_bans_room_id_address_idx ON room_bans (room_id, address);

-- A chat line only one person sees: `visible_to` names them (NULL: everyone);
-- `hidden_reason` says why ('shadow': a shadow-muted author, never told;
-- 'automod': hidden by the automatic moderator, the author is told;
-- 'owner': a line meant for the owner only).
ALTER TABLE chat_messages ADD COLUMN visible_to TEXT;
ALTER TABLE chat_messages ADD COLUMN hidden_reason TEXT;

-- Who was invited to which room: a private room admits its owner and them.
CREATE TABLE room_invitations (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    invitee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    inviter_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, invitee_id)
);
CREATE INDEX room_invitations_invitee_id_idx ON room_invitations (invitee_id);

-- Reports about a room member, for operators (`syncwatch admin reports`).
-- They outlive the room: its id and code are kept as plain values.
-- `evidence` is JSON: the room's last chat lines, the member's recent
-- system events and the room's settings when the report was made.
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
