"""Scheduled rooms: when a room opens, and which of its two reminders went out.

`next_due` and `due` drive the reminder service (`syncwatch.social.reminders`):
one reminder `EARLY_MS` before the start and one at the start, each sent once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from syncwatch.store import Connection, Database

EARLY_MS = 10 * 60 * 1000


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    room_id: str
    room_code: str
    room_name: str
    owner_id: str
    starts_at: int
    reminded_early: bool
    reminded_start: bool


_SELECT = (
    "SELECT s.room_id, r.code AS room_code, r.name AS room_name, r.owner_id, s.starts_at,"
    " s.reminded_early, s.reminded_start FROM room_schedules s JOIN rooms r ON r.id = s.room_id"
    " WHERE r.deleted_at IS NULL"
)


def _record(row: dict[str, Any]) -> ScheduleRecord:
    return ScheduleRecord(
        room_id=row["room_id"],
        room_code=row["room_code"],
        room_name=row["room_name"],
        owner_id=row["owner_id"],
        starts_at=int(row["starts_at"]),
        reminded_early=bool(row["reminded_early"]),
        reminded_start=bool(row["reminded_start"]),
    )


class ScheduleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set(self, room_id: str, starts_at: int, now_ms: int) -> None:
        """Schedule (or move) a room; a start less than 10 minutes away gets no early reminder."""
        early_done = starts_at - EARLY_MS <= now_ms
        params = {"room_id": room_id, "starts_at": starts_at, "early": early_done}

        def upsert(conn: Connection) -> None:
            conn.execute("DELETE FROM room_schedules WHERE room_id = :room_id", params)
            conn.execute(
                "INSERT INTO room_schedules (room_id, starts_at, reminded_early, reminded_start)"
                " VALUES (:room_id, :starts_at, :early, FALSE)",
                params,
            )

        await self._db.transaction(upsert)

    async def remove(self, room_id: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM room_schedules WHERE room_id = :room_id", {"room_id": room_id}
        )
        return changed == 1

    async def for_room(self, room_id: str) -> ScheduleRecord | None:
        row = await self._db.fetch_one(f"{_SELECT} AND s.room_id = :room_id", {"room_id": room_id})
        return _record(row) if row else None

    async def upcoming_for(self, user_id: str, now_ms: int) -> list[ScheduleRecord]:
        """Rooms not yet started that `user_id` owns or was invited to, soonest first."""
        rows = await self._db.fetch_all(
            f"{_SELECT} AND s.starts_at > :now AND (r.owner_id = :user_id OR EXISTS"
            " (SELECT 1 FROM room_invitations i WHERE i.room_id = s.room_id"
            " AND i.invitee_id = :user_id)) ORDER BY s.starts_at",
            {"user_id": user_id, "now": now_ms},
        )
        return [_record(row) for row in rows]

    async def next_due(self) -> int | None:
        """Epoch ms of the next reminder to send, if any."""
        row = await self._db.fetch_one(
            "SELECT MIN(CASE WHEN reminded_early THEN starts_at ELSE starts_at - :early END)"
            " AS due FROM room_schedules WHERE NOT reminded_start",
            {"early": EARLY_MS},
        )
        return int(row["due"]) if row and row["due"] is not None else None

    async def due(self, now_ms: int) -> list[tuple[ScheduleRecord, Literal["early", "start"]]]:
        """Reminders due now. When both are (a late scheduler), only the start one is."""
        rows = await self._db.fetch_all(
            f"{_SELECT} AND NOT s.reminded_start AND (s.starts_at <= :now"
            " OR (NOT s.reminded_early AND s.starts_at - :early <= :now)) ORDER BY s.starts_at",
            {"now": now_ms, "early": EARLY_MS},
        )
        found: list[tuple[ScheduleRecord, Literal["early", "start"]]] = []
        for row in rows:
            record = _record(row)
            found.append((record, "start" if record.starts_at <= now_ms else "early"))
        return found

    async def mark(
        self,
        room_id: str,
        which: Literal["early", "start"],
        then: Callable[[Connection], None] | None = None,
    ) -> bool:
        """Claim the reminder as sent; False when it already was (by another instance:
        only the one whose update changed the row sends it). `then` runs in the same
        transaction when the claim is this caller's: what it stores (the reminder's
        notifications) is committed with the claim or not at all."""
        column, unsent = (
            ("reminded_start = TRUE, reminded_early = TRUE", "NOT reminded_start")
            if which == "start"
            else ("reminded_early = TRUE", "NOT reminded_early AND NOT reminded_start")
        )

        def claim(conn: Connection) -> bool:
            changed = conn.execute(
                f"UPDATE room_schedules SET {column} WHERE room_id = :room_id AND {unsent}",
                {"room_id": room_id},
            )
            if changed != 1:
                return False
            if then is not None:
                then(conn)
            return True

        return await self._db.transaction(claim)
