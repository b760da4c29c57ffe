-- migration: 0011_room_fences (room leases: a stale owner's snapshot write is refused)

-- The largest room-lease fencing token that claimed the room (docs/adr/0015-room-leases.md).
ALTER TABLE room_snapshots ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;
