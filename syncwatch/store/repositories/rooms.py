"""Rooms and their snapshots.

A room row holds its settings and lifetime; the snapshot row holds what the room
actor needs to resume after a restart or failover (sequence number, playback
anchors, roles) as JSON the actor owns. The snapshot's sequence number never
moves backwards: a late write from a slower writer is ignored, not applied.

With room leases (Redis configured, docs/adr/0015-room-leases.md) the snapshot row
also records `fence`, the largest lease token that claimed the room: an owner
`claim_snapshot`s a room before loading it, and a write carrying a smaller token
raises `StaleFence` instead of overwriting the new owner's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Connection, Database, Statement


class StaleFence(Exception):
    """A snapshot write from an owner whose lease on the room was taken over since."""

    def __init__(self, room_id: str, fence: int, claimed: int) -> None:
        super().__init__(f"room {room_id}: lease token {fence} is older than {claimed}")
        self.fence = fence
        self.claimed = claimed


@dataclass(frozen=True, slots=True)
class RoomRecord:
    id: str
    code: str
    name: str
    owner_id: str
    max_participants: int
    password_hash: str | None
    playback_control: str  # "owner_only" | "all" | "selected"
    auto_handover: bool
    created_at: int
    expires_at: int
    last_active_at: int
    deleted_at: int | None
    privacy: str = "public"  # "public" | "friends_only" | "private" | "anonymous"
    guests_allowed: bool = True


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    room_id: str
    sequence_number: int
    snapshot_json: str
    updated_at: int


_COLUMNS = (
    "id, code, name, owner_id, max_participants, password_hash, playback_control,"
    " auto_handover, created_at, expires_at, last_active_at, deleted_at, privacy, guests_allowed"
)


def _room(row: dict[str, Any]) -> RoomRecord:
    return RoomRecord(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        owner_id=row["owner_id"],
        max_participants=int(row["max_participants"]),
        password_hash=row["password_hash"],
        playback_control=row["playback_control"],
        auto_handover=bool(row["auto_handover"]),
        created_at=int(row["created_at"]),
        expires_at=int(row["expires_at"]),
        last_active_at=int(row["last_active_at"]),
        deleted_at=None if row["deleted_at"] is None else int(row["deleted_at"]),
        privacy=row["privacy"],
        guests_allowed=bool(row["guests_allowed"]),
    )


class RoomRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        code: str,
        name: str,
        owner_id: str,
        max_participants: int,
        password_hash: str | None,
        playback_control: str,
        auto_handover: bool,
        created_at: int,
        expires_at: int,
        privacy: str = "public",
        guests_allowed: bool = True,
    ) -> RoomRecord:
        """Insert a room. A taken `code` raises `UniqueViolation("rooms", ("code",))`:
        the caller draws a new code and tries again."""
        record = RoomRecord(
            new_id(),
            code,
            name,
            owner_id,
            max_participants,
            password_hash,
            playback_control,
            auto_handover,
            created_at,
            expires_at,
            created_at,
            None,
            privacy,
            guests_allowed,
        )
        await self._db.execute(
            f"INSERT INTO rooms ({_COLUMNS}) VALUES (:id, :code, :name, :owner_id,"
            " :max_participants, :password_hash, :playback_control, :auto_handover,"
            " :created_at, :expires_at, :last_active_at, NULL, :privacy, :guests_allowed)",
            {
                "id": record.id,
                "code": code,
                "name": name,
                "owner_id": owner_id,
                "max_participants": max_participants,
                "password_hash": password_hash,
                "playback_control": playback_control,
                "auto_handover": auto_handover,
                "created_at": created_at,
                "expires_at": expires_at,
                "last_active_at": created_at,
                "privacy": privacy,
                "guests_allowed": guests_allowed,
            },
        )
        return record

    async def by_code(self, code: str, *, include_deleted: bool = False) -> RoomRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM rooms WHERE code = :code", {"code": code}
        )
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            return None
        return _room(row)

    async def by_id(self, room_id: str, *, include_deleted: bool = False) -> RoomRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM rooms WHERE id = :id", {"id": room_id}
        )
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            return None
        return _room(row)

    async def mark_deleted(self, room_id: str, now_ms: int) -> bool:
        """Soft-delete: the room stops being found; the janitor purges it later."""
        changed = await self._db.execute(
            "UPDATE rooms SET deleted_at = :now WHERE id = :id AND deleted_at IS NULL",
            {"now": now_ms, "id": room_id},
        )
        return changed == 1

    async def set_owner(self, room_id: str, owner_id: str) -> bool:
        changed = await self._db.execute(
            "UPDATE rooms SET owner_id = :owner_id WHERE id = :id",
            {"owner_id": owner_id, "id": room_id},
        )
        return changed == 1

    async def set_access(self, room_id: str, privacy: str, guests_allowed: bool) -> bool:
        """Who may join from now on: the privacy preset and whether guests may."""
        changed = await self._db.execute(
            "UPDATE rooms SET privacy = :privacy, guests_allowed = :guests_allowed WHERE id = :id",
            {"privacy": privacy, "guests_allowed": guests_allowed, "id": room_id},
        )
        return changed == 1

    async def set_details(
        self,
        room_id: str,
        *,
        name: str,
        max_participants: int,
        password_hash: str | None,
        keep_password: bool,
    ) -> bool:
        """The owner's changes to the name, seats and password; with `keep_password`
        the stored password stays as it is (`password_hash` is then ignored)."""
        password = "password_hash" if keep_password else ":password_hash"
        changed = await self._db.execute(
            "UPDATE rooms SET name = :name, max_participants = :max_participants,"
            f" password_hash = {password} WHERE id = :id",
            {
                "name": name,
                "max_participants": max_participants,
                "password_hash": password_hash,
                "id": room_id,
            },
        )
        return changed == 1

    async def owned_by(self, owner_id: str, now_ms: int, *, limit: int = 20) -> list[RoomRecord]:
        """The user's rooms still alive, the most recently active first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM rooms WHERE owner_id = :owner_id AND deleted_at IS NULL"
            " AND expires_at > :now ORDER BY last_active_at DESC, id LIMIT :limit",
            {"owner_id": owner_id, "now": now_ms, "limit": limit},
        )
        return [_room(row) for row in rows]

    async def joined_by(
        self, subject_id: str, now_ms: int, *, limit: int = 20
    ) -> list[tuple[RoomRecord, int]]:
        """Rooms still alive that someone else owns and this subject joined, with when
        they last did, the latest first."""
        columns = ", ".join(f"rooms.{name.strip()}" for name in _COLUMNS.split(","))
        rows = await self._db.fetch_all(
            f"SELECT {columns}, room_participants.last_seen_at AS last_joined_at"
            " FROM room_participants JOIN rooms ON rooms.id = room_participants.room_id"
            " WHERE room_participants.subject_id = :subject_id"
            " AND rooms.owner_id <> :subject_id AND rooms.deleted_at IS NULL"
            " AND rooms.expires_at > :now"
            " ORDER BY room_participants.last_seen_at DESC, rooms.id LIMIT :limit",
            {"subject_id": subject_id, "now": now_ms, "limit": limit},
        )
        return [(_room(row), int(row["last_joined_at"])) for row in rows]

    async def touch(self, room_id: str, last_active_at: int, expires_at: int) -> bool:
        """Record activity and set the new expiry the caller computed."""
        write = self.touch_write(room_id, last_active_at, expires_at)
        return await self._db.execute(write.sql, write.params) == 1

    @staticmethod
    def touch_write(room_id: str, last_active_at: int, expires_at: int) -> Statement:
        """`touch` as a write for a group commit."""
        return Statement(
            "UPDATE rooms SET last_active_at = :last_active_at, expires_at = :expires_at"
            " WHERE id = :id",
            {"last_active_at": last_active_at, "expires_at": expires_at, "id": room_id},
        )

    async def expired(
        self, now_ms: int, *, deleted_before_ms: int | None = None, limit: int = 100
    ) -> list[RoomRecord]:
        """Rooms due for purging: past `expires_at`, or soft-deleted (by default at any
        time before now; the janitor keeps a closed room a while so that late visitors
        learn it was closed); oldest first."""
        deleted_before = now_ms if deleted_before_ms is None else deleted_before_ms
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM rooms WHERE expires_at <= :now OR deleted_at <= :deleted"
            " ORDER BY expires_at, id LIMIT :limit",
            {"now": now_ms, "deleted": deleted_before, "limit": limit},
        )
        return [_room(row) for row in rows]

    async def purge(self, room_id: str) -> bool:
        """Delete the room; its snapshot, participants, bans and chat go with it."""
        return await self._db.execute("DELETE FROM rooms WHERE id = :id", {"id": room_id}) == 1

    async def count_created_by(self, owner_id: str, since_ms: int) -> int:
        """Rooms a user created since a time, deleted ones included (rate limit)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM rooms WHERE owner_id = :owner_id AND created_at >= :since",
            {"owner_id": owner_id, "since": since_ms},
        )
        return int(row["n"]) if row else 0

    async def save_snapshot(
        self,
        room_id: str,
        sequence_number: int,
        snapshot_json: str,
        now_ms: int,
        *,
        fence: int | None = None,
    ) -> bool:
        """Upsert the room's snapshot; False (and nothing written) when the stored
        sequence number is already higher. With a lease's `fence`, raises `StaleFence`
        (nothing written) when a newer lease holder has claimed the room."""
        if fence is None:
            params = _snapshot_params(room_id, sequence_number, snapshot_json, now_ms)
            return await self._db.execute(_SAVE_SNAPSHOT, params) == 1
        write = self.snapshot_write(room_id, sequence_number, snapshot_json, now_ms, fence=fence)
        changed: int = await self._db.transaction(write)
        return changed == 1

    @staticmethod
    def snapshot_write(
        room_id: str,
        sequence_number: int,
        snapshot_json: str,
        now_ms: int,
        *,
        fence: int | None = None,
    ) -> Statement:
        """`save_snapshot` as a write for a caller's transaction (a group commit)."""
        params = _snapshot_params(room_id, sequence_number, snapshot_json, now_ms)
        if fence is None:
            return Statement(_SAVE_SNAPSHOT, params)
        fenced_params = {**params, "fence": fence}

        def fenced(connection: Connection) -> int:
            changed = connection.execute(_SAVE_FENCED_SNAPSHOT, fenced_params)
            if changed == 0:
                row = connection.fetch_one(
                    "SELECT fence FROM room_snapshots WHERE room_id = :room_id",
                    {"room_id": room_id},
                )
                if row is not None and int(row["fence"]) > fence:
                    # Raised inside the transaction: a group commit carrying it fails
                    # whole, and this room meets the error again when it writes alone.
                    raise StaleFence(room_id, fence, int(row["fence"]))
            return changed

        # In a single text the fence is held by `fence_check`, which comes first (a
        # newer claim cannot land before this commits), so the plain upsert is enough.
        return Statement(_SAVE_FENCED_SNAPSHOT, fenced_params, one_by_one=fenced)

    @staticmethod
    def fence_check(room_id: str, fence: int) -> Statement:
        """A write that raises `StaleFence` when a newer lease holder claimed the room:
        put first in a transaction, it keeps a stale owner's other writes (chat lines)
        out too."""
        params = {"room_id": room_id, "fence": fence}

        def check(connection: Connection) -> None:
            row = connection.fetch_one(
                "SELECT fence FROM room_snapshots WHERE room_id = :room_id", {"room_id": room_id}
            )
            if row is not None and int(row["fence"]) > fence:
                raise StaleFence(room_id, fence, int(row["fence"]))

        return Statement(_FENCE_GUARD, params, one_by_one=check)

    async def check_fence(self, room_id: str, fence: int) -> None:
        """Raise `StaleFence` when a newer lease holder claimed the room."""
        await self._db.transaction(self.fence_check(room_id, fence))

    async def claim_snapshot(self, room_id: str, fence: int, now_ms: int) -> bool:
        """Record that the holder of lease token `fence` owns the room from now on, so an
        older holder's snapshot writes are refused; False if a newer token claimed it.

        A room without a snapshot yet gets an empty row to carry the fence
        (`load_snapshot` reads it as no snapshot)."""
        changed = await self._db.execute(
            "INSERT INTO room_snapshots (room_id, sequence_number, snapshot, updated_at, fence)"
            " VALUES (:room_id, 0, '', :now, :fence)"
            " ON CONFLICT (room_id) DO UPDATE SET fence = excluded.fence"
            " WHERE room_snapshots.fence <= excluded.fence",
            {"room_id": room_id, "now": now_ms, "fence": fence},
        )
        return changed == 1

    async def current_fence(self, room_id: str) -> int:
        """The largest lease token that claimed the room (0: none ever did)."""
        row = await self._db.fetch_one(
            "SELECT fence FROM room_snapshots WHERE room_id = :room_id", {"room_id": room_id}
        )
        return int(row["fence"]) if row is not None else 0

    async def load_snapshot(self, room_id: str) -> SnapshotRecord | None:
        row = await self._db.fetch_one(
            "SELECT room_id, sequence_number, snapshot, updated_at FROM room_snapshots"
            " WHERE room_id = :room_id",
            {"room_id": room_id},
        )
        if row is None or not row["snapshot"]:  # none, or only a lease's claim
            return None
        return SnapshotRecord(
            row["room_id"], int(row["sequence_number"]), row["snapshot"], int(row["updated_at"])
        )


_SAVE_SNAPSHOT = (
    "INSERT INTO room_snapshots (room_id, sequence_number, snapshot, updated_at)"
    " VALUES (:room_id, :seq, :snapshot, :now)"
    " ON CONFLICT (room_id) DO UPDATE SET sequence_number = excluded.sequence_number,"
    " snapshot = excluded.snapshot, updated_at = excluded.updated_at"
    " WHERE room_snapshots.sequence_number <= excluded.sequence_number"
)

# A lease's fence check in a single text (PostgreSQL only; elsewhere `fence_check`
# reads the row): fails the whole text, by dividing by zero, when a newer lease claimed
# the room, and holds the row until the text commits, so no claim lands in between.
# The group commit then fails, and the room, writing alone, meets `StaleFence`.
_FENCE_GUARD = (
    "SELECT 1 / CAST(fence <= :fence AS INTEGER) FROM room_snapshots"
    " WHERE room_id = :room_id FOR SHARE"
)

# The same, from a lease holder: also refused when a newer lease claimed the room.
_SAVE_FENCED_SNAPSHOT = (
    "INSERT INTO room_snapshots (room_id, sequence_number, snapshot, updated_at, fence)"
    " VALUES (:room_id, :seq, :snapshot, :now, :fence)"
    " ON CONFLICT (room_id) DO UPDATE SET sequence_number = excluded.sequence_number,"
    " snapshot = excluded.snapshot, updated_at = excluded.updated_at, fence = excluded.fence"
    " WHERE room_snapshots.sequence_number <= excluded.sequence_number"
    " AND room_snapshots.fence <= excluded.fence"
)


def _snapshot_params(
    room_id: str, sequence_number: int, snapshot_json: str, now_ms: int
) -> dict[str, Any]:
    return {"room_id": room_id, "seq": sequence_number, "snapshot": snapshot_json, "now": now_ms}
