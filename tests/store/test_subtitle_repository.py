"""Subtitle tracks of uploaded videos, on SQLite and PostgreSQL."""

from __future__ import annotations

from syncwatch.store import Database
from syncwatch.store.repositories import NewVideo, Repositories, SubtitleRecord, VideoRepository


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
    video = NewVideo(
        id=video_id,
        uploader_id=f"u-{video_id}",
        room_code=None,
        filename="film.mkv",
        size=10,
        source_key=f"videos/{video_id}/source",
        expires_at=2_000_000_000_000,
    )
    await VideoRepository(database).create_pending(
        video, duration_ms=3000, media_info_json="{}", now_ms=1_800_000_000_000
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
    await repositories.videos.delete("v1")
    assert await repositories.subtitles.for_video("v1") == []
