"""Subtitle tracks of uploaded videos (`video_subtitles`).

A row names a cleaned WebVTT object in media storage. Tracks uploaded beside a
video are added one at a time; the tracks extracted from the file itself are
replaced as a set when a transcode finishes (a retried job writes them again).
Rows go with their video (ON DELETE CASCADE).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from syncwatch.store import Connection, Database

SubtitleOrigin = Literal["upload", "embedded"]

_COLUMNS = "id, video_id, label, language, origin, storage_key, size_bytes, created_at"
_INSERT = (
    f"INSERT INTO video_subtitles ({_COLUMNS}) VALUES (:id, :video_id, :label, :language,"
    " :origin, :storage_key, :size_bytes, :created_at)"
)


@dataclass(frozen=True, slots=True)
class SubtitleRecord:
    id: str
    video_id: str
    label: str
    language: str | None
    origin: SubtitleOrigin
    storage_key: str
    size_bytes: int
    created_at: int


def _record(row: dict[str, Any]) -> SubtitleRecord:
    return SubtitleRecord(
        id=row["id"],
        video_id=row["video_id"],
        label=row["label"],
        language=row["language"],
        origin=row["origin"],
        storage_key=row["storage_key"],
        size_bytes=int(row["size_bytes"]),
        created_at=int(row["created_at"]),
    )


def _params(record: SubtitleRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "video_id": record.video_id,
        "label": record.label,
        "language": record.language,
        "origin": record.origin,
        "storage_key": record.storage_key,
        "size_bytes": record.size_bytes,
        "created_at": record.created_at,
    }


class SubtitleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, record: SubtitleRecord) -> SubtitleRecord:
        await self._db.execute(_INSERT, _params(record))
        return record

    async def replace_embedded(self, video_id: str, records: list[SubtitleRecord]) -> None:
        """The embedded tracks of `video_id` become exactly `records`, in one transaction."""

        def replace(conn: Connection) -> None:
            conn.execute(
                "DELETE FROM video_subtitles WHERE video_id = :video_id AND origin = 'embedded'",
                {"video_id": video_id},
            )
            for record in records:
                conn.execute(_INSERT, _params(record))

        await self._db.transaction(replace)

    async def for_video(self, video_id: str) -> list[SubtitleRecord]:
        """Every track of a video: the file's own first, then uploads, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM video_subtitles WHERE video_id = :video_id"
            " ORDER BY CASE origin WHEN 'embedded' THEN 0 ELSE 1 END, created_at, id",
            {"video_id": video_id},
        )
        return [_record(row) for row in rows]

    async def count(self, video_id: str) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM video_subtitles WHERE video_id = :video_id",
            {"video_id": video_id},
        )
        return int(row["n"]) if row else 0
