-- migration: 0006_social (blocks, the notification centre, a chosen presence status)

-- The presence status a user chose ('online', 'busy', 'invisible'); 'online'
-- turns 'away' by itself after 5 idle minutes (syncwatch.social.presence).
ALTER TABLE users ADD COLUMN presence_status TEXT NOT NULL DEFAULT 'online';

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
