"""The subtitle tracks of uploaded videos: listing them, adding one, and
recording the tracks a transcode found in the file.

Owns the rules around a track (at most `MAX_TRACKS_PER_VIDEO` per video, a
label and a language tag of sane shape) and its address for browsers,
`/media/videos/{id}/subtitles/{track}.vtt`. Conversion is `subtitles.py`'s,
extraction `subtitle_extraction.py`'s; who may add a track is the HTTP
edge's decision (it knows the rooms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from syncwatch.blocking import run_blocking
from syncwatch.clock import Clock
from syncwatch.errors import Conflict, InvalidSubtitles, NotFound, PayloadTooLarge
from syncwatch.ids import new_id
from syncwatch.media.storage import MediaStorage
from syncwatch.media.subtitles import SUBTITLE_CONTENT_TYPE, SubtitleRejected, to_webvtt
from syncwatch.media.transcode_pool import JobUpdate
from syncwatch.media.video_store import VideoRecord, video_prefix
from syncwatch.store.repositories.subtitles import SubtitleRecord, SubtitleRepository

MEDIA_PATH = "/media"
MAX_TRACKS_PER_VIDEO = 16
MAX_LABEL_CHARS = 64
# BCP 47 in the shape browsers accept for `srclang` ("en", "pt-BR", "zh-Hant").
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")


def subtitles_prefix(video_id: str) -> str:
    return f"{video_prefix(video_id)}/subtitles"


@dataclass(frozen=True, slots=True)
class NewTrack:
    """What an uploader says about a subtitle file."""

    data: bytes
    label: str | None = None
    language: str | None = None
    filename: str | None = None


def public_track(record: SubtitleRecord) -> dict[str, Any]:
    """A track as the API shows it (camelCase, with its root-relative URL)."""
    return {
        "id": record.id,
        "label": record.label,
        "language": record.language,
        "origin": record.origin,
        "url": f"{MEDIA_PATH}/{record.storage_key}",
    }


def _label(new: NewTrack) -> str:
    label = " ".join((new.label or "").split())[:MAX_LABEL_CHARS]
    if label:
        return label
    if new.filename:
        stem = new.filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return " ".join(stem.split())[:MAX_LABEL_CHARS] or "Subtitles"
    return "Subtitles"


def _language(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    if not _LANGUAGE.fullmatch(value.strip()):
        raise InvalidSubtitles("language must be a language tag such as 'en' or 'pt-BR'.")
    return value.strip()


class SubtitleTracks:
    def __init__(self, storage: MediaStorage, repository: SubtitleRepository, clock: Clock) -> None:
        self._storage = storage
        self._repository = repository
        self._clock = clock

    async def list(self, video_id: str) -> list[dict[str, Any]]:
        return [public_track(record) for record in await self._repository.for_video(video_id)]

    async def add(self, video: VideoRecord, new: NewTrack) -> dict[str, Any]:
        """Convert, check and store one uploaded subtitle file; returns the new track."""
        if video.status == "failed":
            raise NotFound("This video could not be prepared, so it takes no subtitles.")
        language = _language(new.language)
        try:
            webvtt = await run_blocking("parsing", to_webvtt, new.data, filename=new.filename)
        except SubtitleRejected as refused:
            if refused.reason == "too_large":
                raise PayloadTooLarge(refused.detail) from refused
            raise InvalidSubtitles(refused.detail) from refused
        if await self._repository.count(video.id) >= MAX_TRACKS_PER_VIDEO:
            raise Conflict(f"A video may have at most {MAX_TRACKS_PER_VIDEO} subtitle tracks.")
        track_id = new_id()
        key = f"{subtitles_prefix(video.id)}/{track_id}.vtt"
        data = webvtt.encode()
        await self._storage.put_bytes(key, data, content_type=SUBTITLE_CONTENT_TYPE)
        record = SubtitleRecord(
            id=track_id,
            video_id=video.id,
            label=_label(new),
            language=language,
            origin="upload",
            storage_key=key,
            size_bytes=len(data),
            created_at=self._clock.now_ms(),
        )
        return public_track(await self._repository.add(record))

    async def record_embedded(self, update: JobUpdate) -> None:
        """A finished transcode's tracks from inside the file replace any earlier ones."""
        now = self._clock.now_ms()
        records = [
            SubtitleRecord(
                id=track.track_id,
                video_id=update.video_id,
                label=track.label,
                language=track.language if track.language not in (None, "und") else None,
                origin="embedded",
                storage_key=track.storage_key,
                size_bytes=track.size_bytes,
                created_at=now,
            )
            for track in update.subtitles
        ]
        await self._repository.replace_embedded(update.video_id, records)
