"""Who has been in a room (participants) and who may not come back (bans).

`subject_id` is a user id or a guest id; guests have no users row, so neither
table references `users`. Rows go when their room is purged (ON DELETE CASCADE).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Connection, Database, Statement


@dataclass(frozen=True, slots=True)
class ParticipantRecord:
    id: str
    room_id: str
    subject_id: str
    is_guest: bool
    display_name: str
    role: str  # "owner" | "participant" | "guest" (and whatever roles the room grants)
    joined_at: int
    last_seen_at: int
    left_at: int | None


_COLUMNS = "id, room_id, subject_id, is_guest, display_name, role, joined_at, last_seen_at, left_at"


def _participant(row: dict[str, Any]) -> ParticipantRecord:
    return ParticipantRecord(
        id=row["id"],
        room_id=row["room_id"],
        subject_id=row["subject_id"],
        is_guest=bool(row["is_guest"]),
        display_name=row["display_name"],
        role=row["role"],
        joined_at=int(row["joined_at"]),
        last_seen_at=int(row["last_seen_at"]),
        left_at=None if row["left_at"] is None else int(row["left_at"]),
    )


class ParticipantRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def join_write(
        room_id: str,
        subject_id: str,
        is_guest: bool,
        display_name: str,
        role: str,
        now_ms: int,
    ) -> Statement:
        """`record_join` as a write for a group commit (nothing read back)."""
        return Statement(
            f"INSERT INTO room_participants ({_COLUMNS}) VALUES (:id, :room_id,"
            " :subject_id, :is_guest, :display_name, :role, :now, :now, NULL)"
            " ON CONFLICT (room_id, subject_id) DO UPDATE SET"
            " display_name = excluded.display_name, role = excluded.role,"
            " is_guest = excluded.is_guest,"
            " joined_at = CASE WHEN room_participants.left_at IS NULL"
            " THEN room_participants.joined_at ELSE excluded.joined_at END,"
            " last_seen_at = excluded.last_seen_at, left_at = NULL",
            {
                "id": new_id(),
                "room_id": room_id,
                "subject_id": subject_id,
                "is_guest": is_guest,
                "display_name": display_name,
                "role": role,
                "now": now_ms,
            },
        )

    async def record_join(
        self,
        room_id: str,
        subject_id: str,
        is_guest: bool,
        display_name: str,
        role: str,
        now_ms: int,
    ) -> ParticipantRecord:
        """Insert or refresh the member's row; its id stays the same across rejoins.

        `joined_at` is kept while the member is present (a second tab, a
        reconnect) and restarts when they come back after leaving, so "earliest
        joined" means earliest among those present.
        """
        write = self.join_write(room_id, subject_id, is_guest, display_name, role, now_ms)

        def upsert(conn: Connection) -> ParticipantRecord:
            write(conn)
            row = conn.fetch_one(
                f"SELECT {_COLUMNS} FROM room_participants"
                " WHERE room_id = :room_id AND subject_id = :subject_id",
                write.params,
            )
            assert row is not None  # written just above, in this transaction
            return _participant(row)

        return await self._db.transaction(upsert)

    async def record_leave(self, room_id: str, subject_id: str, now_ms: int) -> bool:
        changed = await self._db.execute(
            "UPDATE room_participants SET left_at = :now, last_seen_at = :now"
            " WHERE room_id = :room_id AND subject_id = :subject_id AND left_at IS NULL",
            {"now": now_ms, "room_id": room_id, "subject_id": subject_id},
        )
        return changed == 1

    async def list_for_room(
        self, room_id: str, *, present_only: bool = False
    ) -> list[ParticipantRecord]:
        """Members in join order; with `present_only`, those who have not left."""
        presence = " AND left_at IS NULL" if present_only else ""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM room_participants WHERE room_id = :room_id{presence}"
            " ORDER BY joined_at, id",
            {"room_id": room_id},
        )
        return [_participant(row) for row in rows]

    async def set_role(self, room_id: str, subject_id: str, role: str) -> bool:
        changed = await self._db.execute(
            "UPDATE room_participants SET role = :role"
            " WHERE room_id = :room_id AND subject_id = :subject_id",
            {"role": role, "room_id": room_id, "subject_id": subject_id},
        )
        return changed == 1


class BanRepository:
    """A ban names a subject, and may also hold the device (`sw_device` cookie) they
    used and, for guests, their address: a new identity from either is banned too."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def ban(
        self,
        room_id: str,
        subject_id: str,
        banned_by: str,
        now_ms: int,
        *,
        device_id: str | None = None,
        address: str | None = None,
    ) -> bool:
        """Ban a subject from a room; False when they were already banned (a device or
        address learnt since is added to the existing ban)."""
        params = {
            "room_id": room_id,
            "subject_id": subject_id,
            "banned_by": banned_by,
            "now": now_ms,
            "device_id": device_id,
            "address": address,
        }
        changed = await self._db.execute(
            "INSERT INTO room_bans (room_id, subject_id, banned_by, created_at, device_id, address)"
            " VALUES (:room_id, :subject_id, :banned_by, :now, :device_id, :address)"
            " ON CONFLICT (room_id, subject_id) DO NOTHING",
            params,
        )
        if changed == 0 and (device_id or address):
            await self._db.execute(
                "UPDATE room_bans SET device_id = COALESCE(:device_id, device_id),"
                " address = COALESCE(:address, address)"
                " WHERE room_id = :room_id AND subject_id = :subject_id",
                params,
            )
        return changed == 1

    async def is_banned(
        self,
        room_id: str,
        subject_id: str,
        *,
        device_id: str | None = None,
        address: str | None = None,
        address_banned_since_ms: int = 0,
    ) -> bool:
        """Whether this subject, this device, or this address (banned at or after
        `address_banned_since_ms`: address bans fade) may not join the room."""
        row = await self._db.fetch_one(
            "SELECT 1 AS banned FROM room_bans WHERE room_id = :room_id AND ("
            " subject_id = :subject_id"
            " OR (device_id IS NOT NULL AND device_id = :device_id)"
            " OR (address IS NOT NULL AND address = :address AND created_at >= :since))",
            {
                "room_id": room_id,
                "subject_id": subject_id,
                "device_id": device_id,
                "address": address,
                "since": address_banned_since_ms,
            },
        )
        return row is not None

    async def unban(self, room_id: str, subject_id: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM room_bans WHERE room_id = :room_id AND subject_id = :subject_id",
            {"room_id": room_id, "subject_id": subject_id},
        )
        return changed == 1
