"""The notification centre's rows: friend requests, invitations and reminders per user.

Each row keeps its protocol payload as JSON text, so what the centre lists
after a reload is exactly what was pushed live. Unread ones have no `read_at`;
the count of those is what the bell shows, and it survives reloads because it
lives here, not in the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Connection, Database

# The centre shows this many, newest first; older ones remain counted until read.
LIST_LIMIT = 100


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    id: str
    user_id: str
    kind: str
    data: dict[str, Any]
    created_at: int
    read_at: int | None


def _record(row: dict[str, Any]) -> NotificationRecord:
    return NotificationRecord(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        data=json.loads(row["data"]),
        created_at=int(row["created_at"]),
        read_at=int(row["read_at"]) if row["read_at"] is not None else None,
    )


def new_notification(
    user_id: str, kind: str, data: dict[str, Any], now_ms: int
) -> NotificationRecord:
    return NotificationRecord(new_id(), user_id, kind, data, now_ms, None)


_INSERT = (
    "INSERT INTO notifications (id, user_id, kind, data, created_at, read_at)"
    " VALUES (:id, :user_id, :kind, :data, :now, NULL)"
)


def _insert_params(record: NotificationRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "user_id": record.user_id,
        "kind": record.kind,
        "data": json.dumps(record.data, separators=(",", ":")),
        "now": record.created_at,
    }


class NotificationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, user_id: str, kind: str, data: dict[str, Any], now_ms: int
    ) -> NotificationRecord:
        record = new_notification(user_id, kind, data, now_ms)
        await self._db.execute(_INSERT, _insert_params(record))
        return record

    @staticmethod
    def insert(conn: Connection, record: NotificationRecord) -> None:
        """Store `record` inside a caller's transaction (a reminder claimed with it)."""
        conn.execute(_INSERT, _insert_params(record))

    async def recent(self, user_id: str, limit: int = LIST_LIMIT) -> list[NotificationRecord]:
        rows = await self._db.fetch_all(
            "SELECT id, user_id, kind, data, created_at, read_at FROM notifications"
            " WHERE user_id = :user_id ORDER BY created_at DESC, id DESC LIMIT :limit",
            {"user_id": user_id, "limit": limit},
        )
        return [_record(row) for row in rows]

    async def unread_count(self, user_id: str) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS unread FROM notifications"
            " WHERE user_id = :user_id AND read_at IS NULL",
            {"user_id": user_id},
        )
        return int(row["unread"]) if row else 0

    async def mark_read(self, user_id: str, ids: list[str] | None, now_ms: int) -> int:
        """Mark `ids` (all of the user's when None) read; returns how many changed."""
        params: dict[str, Any] = {"user_id": user_id, "now": now_ms}
        where = "user_id = :user_id AND read_at IS NULL"
        if ids is not None:
            if not ids:
                return 0
            names = []
            for n, notification_id in enumerate(ids):
                params[f"id{n}"] = notification_id
                names.append(f":id{n}")
            where += f" AND id IN ({', '.join(names)})"
        return await self._db.execute(
            f"UPDATE notifications SET read_at = :now WHERE {where}", params
        )

    async def clear(self, user_id: str) -> int:
        return await self._db.execute(
            "DELETE FROM notifications WHERE user_id = :user_id", {"user_id": user_id}
        )
