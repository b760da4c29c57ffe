"""Chat history of a room.

Ids are UUIDv7, so id order is creation order: `since(after_id)` is a plain
`id > :after_id`, which is how a reconnecting client catches up without gaps.

A line may be meant for one person only (`visible_to`): a shadow-muted
member's own words, a line the automatic moderator hid, a notice for the
owner. Every read names its `viewer` and returns the lines everyone sees plus
that viewer's own; only `evidence` (for a report) reads them all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from syncwatch.ids import new_id
from syncwatch.store import Database, Statement


@dataclass(frozen=True, slots=True)
class ChatRecord:
    id: str
    room_id: str
    user_id: str | None  # None for system messages
    username: str | None
    kind: str  # "user" | "system"
    content: str
    event_json: str | None  # the structured system event, as JSON text
    created_at: int
    visible_to: str | None = None  # None: everyone; else the one subject who sees it
    hidden_reason: str | None = None  # "shadow" | "automod" | "owner" with `visible_to`


_COLUMNS = (
    "id, room_id, user_id, username, kind, content, event, created_at, visible_to, hidden_reason"
)
_VISIBLE = "(visible_to IS NULL OR visible_to = :viewer)"
_INSERT = (
    f"INSERT INTO chat_messages ({_COLUMNS}) VALUES (:id, :room_id, :user_id,"
    " :username, :kind, :content, :event, :created_at, :visible_to, :hidden_reason)"
)


def _params(record: ChatRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "room_id": record.room_id,
        "user_id": record.user_id,
        "username": record.username,
        "kind": record.kind,
        "content": record.content,
        "event": record.event_json,
        "created_at": record.created_at,
        "visible_to": record.visible_to,
        "hidden_reason": record.hidden_reason,
    }


def _message(row: dict[str, Any]) -> ChatRecord:
    return ChatRecord(
        id=row["id"],
        room_id=row["room_id"],
        user_id=row["user_id"],
        username=row["username"],
        kind=row["kind"],
        content=row["content"],
        event_json=row["event"],
        created_at=int(row["created_at"]),
        visible_to=row["visible_to"],
        hidden_reason=row["hidden_reason"],
    )


class ChatRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        room_id: str,
        user_id: str | None,
        username: str | None,
        kind: str,
        content: str,
        event_json: str | None,
        created_at: int,
        message_id: str | None = None,
        *,
        visible_to: str | None = None,
        hidden_reason: str | None = None,
    ) -> ChatRecord:
        """Store one message; `message_id` lets the room keep the id it already announced.
        With `visible_to`, only that subject will read it back (`hidden_reason` says why)."""
        record = ChatRecord(
            message_id or new_id(),
            room_id,
            user_id,
            username,
            kind,
            content,
            event_json,
            created_at,
            visible_to,
            hidden_reason if visible_to is not None else None,
        )
        await self._db.execute(_INSERT, _params(record))
        return record

    @staticmethod
    def add_write(record: ChatRecord) -> Statement:
        """Storing `record` as a write for a caller's transaction (a group commit); the
        same rules as `add` (`hidden_reason` only with `visible_to`)."""
        if record.visible_to is None and record.hidden_reason is not None:
            record = replace(record, hidden_reason=None)
        return Statement(_INSERT, _params(record))

    async def recent(
        self, room_id: str, limit: int = 50, *, viewer: str | None = None
    ) -> list[ChatRecord]:
        """The last `limit` messages `viewer` may see, oldest first (without a viewer:
        only the lines everyone sees)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM chat_messages WHERE room_id = :room_id AND {_VISIBLE}"
            " ORDER BY id DESC LIMIT :limit",
            {"room_id": room_id, "limit": limit, "viewer": viewer},
        )
        return [_message(row) for row in reversed(rows)]

    async def since(
        self, room_id: str, after_id: str, limit: int = 200, *, viewer: str | None = None
    ) -> list[ChatRecord]:
        """Up to `limit` messages after `after_id` that `viewer` may see, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM chat_messages WHERE room_id = :room_id"
            f" AND id > :after_id AND {_VISIBLE} ORDER BY id LIMIT :limit",
            {"room_id": room_id, "after_id": after_id, "limit": limit, "viewer": viewer},
        )
        return [_message(row) for row in rows]

    async def evidence(self, room_id: str, limit: int = 50) -> list[ChatRecord]:
        """The room's last `limit` lines, whoever could see them, oldest first: what a
        report keeps for the operators who read it."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM chat_messages WHERE room_id = :room_id"
            " ORDER BY id DESC LIMIT :limit",
            {"room_id": room_id, "limit": limit},
        )
        return [_message(row) for row in reversed(rows)]
