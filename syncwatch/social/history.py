"""`WatchLog`: writes each registered person's watch history as they leave a room.

While someone is in a room the log remembers when they came and everyone who
was there with them (people who joined later too). When they leave, and the
room had something loaded, one row says what (the video's title), when (from
their arrival to their departure) and with whom. Guests have no history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from syncwatch.clock import Clock
from syncwatch.ids import new_id
from syncwatch.store.repositories import Repositories, WatchRecord

# What a live room has loaded, by code: (source type, source id), or None when not live here.
NowPlaying = Callable[[str], "tuple[str | None, str | None] | None"]


@dataclass(slots=True)
class _Stay:
    code: str
    subject_id: str
    name: str
    registered: bool
    room_name: str
    started_at: int
    companions: set[str] = field(default_factory=set)
    source: tuple[str | None, str | None] = (None, None)


class WatchLog:
    def __init__(
        self,
        repositories: Repositories,
        clock: Clock,
        now_playing: NowPlaying | None = None,
    ) -> None:
        self._repos = repositories
        self._clock = clock
        self._now_playing = now_playing or (lambda code: None)
        self._stays: dict[str, _Stay] = {}

    def enter(
        self, code: str, conn_id: str, subject_id: str, name: str, *, registered: bool, room: str
    ) -> None:
        others = [s for s in self._stays.values() if s.code == code and s.subject_id != subject_id]
        stay = _Stay(code, subject_id, name, registered, room, self._clock.now_ms())
        stay.companions = {other.name for other in others}
        for other in others:
            other.companions.add(name)
        self._stays[conn_id] = stay

    async def leave(self, conn_id: str) -> None:
        stay = self._stays.pop(conn_id, None)
        if stay is None or not stay.registered:
            return
        source_type, source_id = self._now_playing(stay.code) or (None, None)
        if source_id is None:
            return  # nothing was watched
        await self._repos.history.add(
            WatchRecord(
                id=new_id(),
                user_id=stay.subject_id,
                room_code=stay.code,
                room_name=stay.room_name,
                source_type=source_type,
                source_id=source_id,
                title=await self._title(source_type, source_id),
                companions=tuple(sorted(stay.companions)),
                started_at=stay.started_at,
                ended_at=self._clock.now_ms(),
            )
        )

    async def _title(self, source_type: str | None, source_id: str) -> str:
        if source_type == "upload":
            video = await self._repos.videos.get(source_id)
            return video.filename if video is not None else "An uploaded video"
        if source_type == "youtube":
            return f"YouTube video {source_id}"
        path = urlsplit(source_id).path.rsplit("/", 1)[-1]
        return path or source_id[:200]


def history_view(record: WatchRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "roomCode": record.room_code,
        "roomName": record.room_name,
        "title": record.title,
        "sourceType": record.source_type,
        "companions": list(record.companions),
        "startedAt": record.started_at,
        "endedAt": record.ended_at,
    }
