"""Video records and the transcode queue's SQL, on both engines.

The queue's behaviour as the media layer drives it (stale workers, retries,
quotas) is in tests/media/test_transcode_queue.py; this file holds what only
the store can show: the rows each call leaves and how claimers on separate
connections share the table.
"""

from __future__ import annotations

import threading
import time

import pytest
import trio

from syncwatch.blocking import run_blocking
from syncwatch.store import Connection, Database, open_database
from syncwatch.store.migrations import migrate
from syncwatch.store.repositories import JobProgress, NewVideo, Repositories, VideoRepository

NOW = 1_800_000_000_000


def _video(video_id: str, *, size: int = 1000, expires_at: int = NOW + 10_000) -> NewVideo:
    return NewVideo(
        id=video_id,
        uploader_id="u1",
        room_code="ROOM2345",
        filename=f"{video_id}.mp4",
        size=size,
        source_key=f"videos/{video_id}/source",
        expires_at=expires_at,
    )


async def _add_uploader(db: Database) -> None:
    await db.execute(
        "INSERT INTO users (id, email, username, username_key, password_hash, created_at,"
        " updated_at) VALUES ('u1', 'u1@example.org', 'Uploader', 'uploader', 'h', 1, 1)"
    )


@pytest.fixture
async def videos(database: Database, repositories: Repositories) -> VideoRepository:
    await _add_uploader(database)
    return repositories.videos


async def _claim(videos: VideoRepository, worker: str, now_ms: int = NOW) -> str | None:
    claimed = await videos.claim(
        worker, now_ms=now_ms, stale_before_ms=now_ms - 60_000, max_claims=2
    )
    return claimed.video_id if claimed else None


async def test_a_pending_video_is_queued_with_its_probe_result(videos: VideoRepository) -> None:
    job_id = await videos.create_pending(
        _video("v1"), duration_ms=3000, media_info_json='{"duration_s": 3.0}', now_ms=NOW
    )

    record = await videos.get("v1")
    claimed = await videos.claim("w", now_ms=NOW, stale_before_ms=0, max_claims=3)

    assert record is not None
    assert (record.status, record.progress, record.duration_ms) == ("pending", 0, 3000)
    assert (record.room_code, record.source_key, record.created_at) == (
        "ROOM2345",
        "videos/v1/source",
        NOW,
    )
    assert claimed is not None
    assert (claimed.job_id, claimed.media_info_json) == (job_id, '{"duration_s": 3.0}')
    assert await videos.get("missing") is None


async def test_a_rejected_video_is_never_queued(videos: VideoRepository) -> None:
    await videos.create_rejected(_video("v1"), reason="no_video_stream", now_ms=NOW)

    record = await videos.get("v1")
    assert record is not None
    assert (record.status, record.error) == ("failed", "no_video_stream")
    assert await videos.queue_length() == 0
    assert await _claim(videos, "w") is None


async def test_a_job_is_not_runnable_before_its_time(videos: VideoRepository) -> None:
    await videos.create_pending(_video("v1"), duration_ms=None, media_info_json="{}", now_ms=NOW)

    assert await _claim(videos, "w", now_ms=NOW - 1) is None
    assert await _claim(videos, "w", now_ms=NOW) == "v1"


async def test_reports_from_a_worker_that_lost_the_job_are_refused(
    videos: VideoRepository,
) -> None:
    await videos.create_pending(_video("v1"), duration_ms=None, media_info_json="{}", now_ms=NOW)
    claimed = await videos.claim("a", now_ms=NOW, stale_before_ms=0, max_claims=3)
    assert claimed is not None

    halfway = JobProgress(status="processing", progress=40, manifest_key="m.m3u8")
    assert await videos.report(claimed.job_id, "v1", "a", halfway, now_ms=NOW + 1)
    assert not await videos.report(claimed.job_id, "v1", "b", halfway, now_ms=NOW + 2)
    done = JobProgress(status="ready", progress=100, manifest_key="m.m3u8")
    assert await videos.report(claimed.job_id, "v1", "a", done, now_ms=NOW + 3)
    # Finished: even its own worker can no longer change it.
    failed = JobProgress(status="failed", progress=0, error="late")
    assert not await videos.report(claimed.job_id, "v1", "a", failed, now_ms=NOW + 4)

    record = await videos.get("v1")
    assert record is not None
    assert (record.status, record.progress, record.manifest_key, record.error) == (
        "ready",
        100,
        "m.m3u8",
        None,
    )


async def test_a_job_handed_out_too_often_fails_and_the_next_one_is_claimed(
    videos: VideoRepository,
) -> None:
    await videos.create_pending(_video("v1"), duration_ms=None, media_info_json="{}", now_ms=NOW)
    await videos.create_pending(
        _video("v2"), duration_ms=None, media_info_json="{}", now_ms=NOW + 1
    )
    # v1 is claimed twice by workers that die (their heartbeats go stale)...
    assert await _claim(videos, "dead-1", now_ms=NOW + 1) == "v1"
    assert await _claim(videos, "dead-2", now_ms=NOW + 61_002) == "v1"

    # ...so once stale again it fails, and the same call hands out v2.
    assert await _claim(videos, "live", now_ms=NOW + 122_004) == "v2"
    lost = await videos.get("v1")
    assert lost is not None
    assert (lost.status, lost.error) == ("failed", "worker_lost")


async def test_expiry_skips_videos_in_transcoding_and_delete_takes_the_jobs(
    database: Database, videos: VideoRepository
) -> None:
    for index, (name, expires_at) in enumerate(
        (("busy", NOW + 10), ("old", NOW + 10), ("young", NOW + 100_000))
    ):
        await videos.create_pending(
            _video(name, expires_at=expires_at),
            duration_ms=None,
            media_info_json="{}",
            now_ms=NOW + index,
        )
    await videos.create_rejected(_video("refused", expires_at=NOW + 5), reason="x", now_ms=NOW)
    assert await _claim(videos, "w", now_ms=NOW + 5) == "busy"

    assert await videos.expired(NOW + 1000) == ["refused", "old"]
    await videos.delete("old")

    jobs = await database.fetch_all("SELECT video_id FROM transcode_jobs ORDER BY video_id")
    assert [row["video_id"] for row in jobs] == ["busy", "young"]
    assert await videos.get("old") is None


async def test_a_release_puts_the_job_back_without_counting_the_claim(
    videos: VideoRepository,
) -> None:
    await videos.create_pending(_video("v1"), duration_ms=None, media_info_json="{}", now_ms=NOW)
    for attempt in range(5):
        claimed = await videos.claim(f"w{attempt}", now_ms=NOW, stale_before_ms=0, max_claims=1)
        assert claimed is not None, f"release {attempt} was counted as a claim"
        await videos.release(claimed.job_id, f"w{attempt}", now_ms=NOW)
        assert await videos.queue_length() == 1


async def test_the_queue_reports_how_long_its_oldest_pending_job_has_waited(
    videos: VideoRepository,
) -> None:
    assert await videos.oldest_pending_created_ms() is None
    await videos.create_pending(_video("v1"), duration_ms=None, media_info_json="{}", now_ms=NOW)
    await videos.create_pending(
        _video("v2"), duration_ms=None, media_info_json="{}", now_ms=NOW + 5
    )
    assert await videos.oldest_pending_created_ms() == NOW

    assert await _claim(videos, "w", now_ms=NOW + 10) == "v1"  # no longer waiting
    assert await videos.oldest_pending_created_ms() == NOW + 5


async def test_stored_bytes_count_the_users_videos_that_did_not_fail(
    videos: VideoRepository,
) -> None:
    await videos.create_pending(
        _video("v1", size=700), duration_ms=None, media_info_json="{}", now_ms=NOW
    )
    await videos.create_pending(
        _video("v2", size=300), duration_ms=None, media_info_json="{}", now_ms=NOW
    )
    await videos.create_rejected(_video("v3", size=5000), reason="x", now_ms=NOW)

    assert await videos.stored_bytes("u1") == 1000
    assert await videos.stored_bytes("nobody") == 0


@pytest.mark.postgres
async def test_on_postgresql_a_claimer_skips_a_job_another_instance_is_claiming(
    postgres_database_url: str,
) -> None:
    """`FOR UPDATE SKIP LOCKED`: an instance in the middle of claiming v1 (its row
    locked) never makes another instance wait; that one takes v2 at once."""
    db = await open_database(postgres_database_url)
    try:
        await migrate(db)
        await db.execute("TRUNCATE users, videos, transcode_jobs CASCADE")
        await _add_uploader(db)
        videos = Repositories.build(db).videos
        for index, name in enumerate(("v1", "v2")):
            await videos.create_pending(
                _video(name), duration_ms=None, media_info_json="{}", now_ms=NOW + index
            )
        locked, let_go = threading.Event(), threading.Event()

        def hold_v1(conn: Connection) -> None:
            conn.execute("SELECT id FROM transcode_jobs WHERE video_id = 'v1' FOR UPDATE", None)
            locked.set()
            let_go.wait(timeout=5)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(db.transaction, hold_v1)
            await run_blocking("database", locked.wait, 5)
            started = time.monotonic()
            taken = await _claim(videos, "second-instance", now_ms=NOW + 10)
            waited = time.monotonic() - started
            let_go.set()

        assert taken == "v2"
        assert waited < 2, f"the claim waited {waited:.1f} s for a locked row"
        assert await _claim(videos, "first-instance", now_ms=NOW + 10) == "v1"
    finally:
        await db.close()
