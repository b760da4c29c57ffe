"""Watch history: what a registered user watched, when, and with whom.

Rows are written when the person leaves a room in which something was loaded
(`syncwatch.social.history`). Kept `RETENTION_MS` (the janitor purges older
ones, and listings never show them); the owner may clear them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Database

RETENTION_MS = 90 * 24 * 3600 * 1000
LIST_LIMIT = 200


@dataclass(frozen=True, slots=True)
class WatchRecord:
    id: str
    user_id: str
    room_code: str
    room_name: str
    source_type: str | None
    source_id: str | None
    title: str
    companions: tuple[str, ...]
    started_at: int
    ended_at: int


def _record(row: dict[str, Any]) -> WatchRecord:
    return WatchRecord(
        id=row["id"],
        user_id=row["user_id"],
        room_code=row["room_code"],
        room_name=row["room_name"],
        source_type=row["source_type"],
        source_id=row["source_id"],
        title=row["title"],
        companions=tuple(json.loads(row["companions"])),
        started_at=int(row["started_at"]),
        ended_at=int(row["ended_at"]),
    )


class WatchHistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, record: WatchRecord) -> None:
        await self._db.execute(
            "INSERT INTO watch_history (id, user_id, room_code, room_name, source_type,"
            " source_id, title, companions, started_at, ended_at) VALUES (:id, :user_id,"
            " :room_code, :room_name, :source_type, :source_id, :title, :companions,"
            " :started_at, :ended_at)",
            {
                "id": record.id or new_id(),
                "user_id": record.user_id,
                "room_code": record.room_code,
                "room_name": record.room_name,
                "source_type": record.source_type,
                "source_id": record.source_id,
                "title": record.title,
                "companions": json.dumps(list(record.companions)),
                "started_at": record.started_at,
                "ended_at": record.ended_at,
            },
        )

    async def recent(self, user_id: str, now_ms: int, limit: int = LIST_LIMIT) -> list[WatchRecord]:
        rows = await self._db.fetch_all(
            "SELECT id, user_id, room_code, room_name, source_type, source_id, title,"
            " companions, started_at, ended_at FROM watch_history WHERE user_id = :user_id"
            " AND ended_at > :oldest ORDER BY ended_at DESC, id DESC LIMIT :limit",
            {"user_id": user_id, "oldest": now_ms - RETENTION_MS, "limit": limit},
        )
        return [_record(row) for row in rows]

    async def clear(self, user_id: str) -> int:
        return await self._db.execute(
            "DELETE FROM watch_history WHERE user_id = :user_id", {"user_id": user_id}
        )

    async def purge_older(self, now_ms: int) -> int:
        """Forget what was watched more than 90 days ago."""
        return await self._db.execute(
            "DELETE FROM watch_history WHERE ended_at <= :oldest",
            {"oldest": now_ms - RETENTION_MS},
        )
