"""Emoji reactions of a room, each at a moment (`media_time_ms`) of one source.

The room stores a reaction before anyone sees it, and reads back the ones of
the source it is showing for the timeline of a member who joins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncwatch.store import Database


@dataclass(frozen=True, slots=True)
class ReactionRecord:
    id: str
    room_id: str
    source_id: str
    participant_id: str
    username: str
    emoji: str
    media_time_ms: int
    created_at: int


_COLUMNS = "id, room_id, source_id, participant_id, username, emoji, media_time_ms, created_at"


def _reaction(row: dict[str, Any]) -> ReactionRecord:
    return ReactionRecord(
        id=row["id"],
        room_id=row["room_id"],
        source_id=row["source_id"],
        participant_id=row["participant_id"],
        username=row["username"],
        emoji=row["emoji"],
        media_time_ms=int(row["media_time_ms"]),
        created_at=int(row["created_at"]),
    )


class ReactionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, record: ReactionRecord) -> None:
        await self._db.execute(
            f"INSERT INTO reactions ({_COLUMNS}) VALUES (:id, :room_id, :source_id,"
            " :participant_id, :username, :emoji, :media_time_ms, :created_at)",
            {
                "id": record.id,
                "room_id": record.room_id,
                "source_id": record.source_id,
                "participant_id": record.participant_id,
                "username": record.username,
                "emoji": record.emoji,
                "media_time_ms": record.media_time_ms,
                "created_at": record.created_at,
            },
        )

    async def for_source(self, room_id: str, source_id: str, limit: int) -> list[ReactionRecord]:
        """The latest `limit` reactions to `source_id` in this room, in media-time order."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM reactions WHERE room_id = :room_id"
            " AND source_id = :source_id ORDER BY created_at DESC, id DESC LIMIT :limit",
            {"room_id": room_id, "source_id": source_id, "limit": limit},
        )
        found = [_reaction(row) for row in rows]
        return sorted(found, key=lambda r: (r.media_time_ms, r.created_at, r.id))
