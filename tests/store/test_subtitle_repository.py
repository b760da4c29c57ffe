"""Subtitle tracks of uploaded videos, on SQLite and PostgreSQL."""

from __future__ import annotations

from syncwatch.media.ffmpeg import MediaInfo
from syncwatch.media.video_store import VideoStore
from syncwatch.store import Database
from syncwatch.store.repositories import Repositories, SubtitleRecord


class FixedClock:
    def now_ms(self) -> int:
        return 1_800_000_000_000


async def _video(database: Database, video_id: str) -> None:
    await database.execute(
        "INSERT INTO users (id, email, username, username_key, password_hash, created_at,"
        " updated_at) VALUES (:id, :email, :name, :key, 'h', 1, 1)",
        {
            "id": f"u-{video_id}",
            "email": f"{video_id}@example.org",
            "name": video_id,
            "key": video_id,
        },
    )
    await VideoStore(database, FixedClock()).create_pending(  # type: ignore[arg-type]
        video_id=video_id,
        uploader_id=f"u-{video_id}",
        room_code=None,
        filename="film.mkv",
        size=10,
        media=MediaInfo(duration_s=3.0, has_video=True, has_audio=False),
        expires_at=2_000_000_000_000,
    )


def _track(video_id: str, track_id: str, origin: str, created_at: int) -> SubtitleRecord:
    return SubtitleRecord(
        id=track_id,
        video_id=video_id,
        label=f"Label {track_id} — «ünïcode»",
        language="en",
        origin=origin,  # type: ignore[arg-type]
        storage_key=f"videos/{video_id}/subtitles/{track_id}.vtt",
        size_bytes=123,
        created_at=created_at,
    )


async def test_a_videos_tracks_list_the_files_own_first_then_uploads_in_order(
    database: Database, repositories: Repositories
) -> None:
    await _video(database, "v1")
    await _video(database, "v2")
    subtitles = repositories.subtitles
    late_upload = await subtitles.add(_track("v1", "up2", "upload", 300))
    early_upload = await subtitles.add(_track("v1", "up1", "upload", 100))
    await subtitles.add(_track("v2", "other", "upload", 50))
    embedded = [_track("v1", "e0", "embedded", 200), _track("v1", "e1", "embedded", 200)]
    await subtitles.replace_embedded("v1", embedded)
    assert await subtitles.for_video("v1") == [*embedded, early_upload, late_upload]
    assert await subtitles.count("v1") == 4
    assert await subtitles.for_video("nope") == []


async def test_extracting_again_replaces_only_the_embedded_tracks(
    database: Database, repositories: Repositories
) -> None:
    await _video(database, "v1")
    subtitles = repositories.subtitles
    upload = await subtitles.add(_track("v1", "up", "upload", 100))
    await subtitles.replace_embedded("v1", [_track("v1", "old", "embedded", 50)])
    fresh = _track("v1", "new", "embedded", 60)
    await subtitles.replace_embedded("v1", [fresh])
    assert await subtitles.for_video("v1") == [fresh, upload]
    await subtitles.replace_embedded("v1", [])
    assert await subtitles.for_video("v1") == [upload]


async def test_tracks_go_with_their_video(database: Database, repositories: Repositories) -> None:
    await _video(database, "v1")
    await repositories.subtitles.add(_track("v1", "up", "upload", 100))
    await VideoStore(database, FixedClock()).delete("v1")  # type: ignore[arg-type]
    assert await repositories.subtitles.for_video("v1") == []
