"""The transcode queue as the media layer drives it, on SQLite and PostgreSQL.

The SQL itself is tested in tests/store/test_videos.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncwatch.media.ffmpeg import MediaInfo
from syncwatch.media.transcode_pool import JobUpdate
from syncwatch.media.video_store import MAX_CLAIMS, STALE_AFTER_MS, VideoStore
from syncwatch.store import Database
from syncwatch.store.repositories import VideoRepository

INFO = MediaInfo(
    duration_s=3.0,
    has_video=True,
    has_audio=True,
    video_codec="h264",
    audio_codec="aac",
    width=320,
    height=180,
    fps=25,
    pixel_format="yuv420p",
    profile="High",
    level=30,
)


class SteppedClock:
    """Epoch milliseconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000_000

    def now_ms(self) -> int:
        return self.now


@pytest.fixture
async def store_and_clock(database: Database) -> tuple[VideoStore, SteppedClock]:
    clock = SteppedClock()
    store = VideoStore(VideoRepository(database), clock)  # type: ignore[arg-type]
    await database.execute(
        "INSERT INTO users (id, email, username, username_key, password_hash, created_at,"
        " updated_at) VALUES ('u1', 'u1@example.org', 'Uploader', 'uploader', 'h', 1, 1)"
    )
    return store, clock


async def _queue(store: VideoStore, video_id: str) -> str:
    return await store.create_pending(
        video_id=video_id,
        uploader_id="u1",
        room_code=None,
        filename=f"{video_id}.mp4",
        size=1000,
        media=INFO,
        expires_at=2_000_000_000_000,
    )


async def test_jobs_are_claimed_oldest_first_and_only_once(
    store_and_clock: tuple[VideoStore, SteppedClock],
) -> None:
    store, clock = store_and_clock
    await _queue(store, "v1")
    clock.now += 1
    await _queue(store, "v2")

    first = await store.claim("worker-a")
    second = await store.claim("worker-b")

    assert first is not None
    assert second is not None
    assert (first.video_id, second.video_id) == ("v1", "v2")
    assert first.media == INFO
    assert first.output_prefix == "videos/v1/hls"
    assert await store.claim("worker-c") is None
    assert await store.queue_length() == 0
    video = await store.get("v1")
    assert video is not None
    assert video.status == "processing"


async def test_progress_and_completion_reach_the_video_row(
    store_and_clock: tuple[VideoStore, SteppedClock],
) -> None:
    store, _ = store_and_clock
    await _queue(store, "v1")
    job = await store.claim("worker-a")
    assert job is not None

    await store.apply(
        JobUpdate(
            job.job_id,
            "v1",
            "processing",
            42.7,
            1,
            playable=True,
            master_key="videos/v1/hls/master.m3u8",
        ),
        "worker-a",
    )
    halfway = await store.get("v1")
    await store.apply(
        JobUpdate(
            job.job_id,
            "v1",
            "ready",
            100.0,
            1,
            playable=True,
            master_key="videos/v1/hls/master.m3u8",
        ),
        "worker-a",
    )
    done = await store.get("v1")

    assert halfway is not None
    assert done is not None
    assert (halfway.status, halfway.progress) == ("processing", 42)
    assert halfway.manifest_key == "videos/v1/hls/master.m3u8"
    assert (done.status, done.progress) == ("ready", 100)
    assert await store.claim("worker-b") is None


async def test_a_job_whose_worker_died_is_claimed_again(
    store_and_clock: tuple[VideoStore, SteppedClock],
) -> None:
    store, clock = store_and_clock
    await _queue(store, "v1")
    orphan = await store.claim("dead-worker")
    assert orphan is not None

    clock.now += STALE_AFTER_MS - 1
    assert await store.claim("worker-b") is None
    clock.now += 2
    rescued = await store.claim("worker-b")

    assert rescued is not None
    assert rescued.job_id == orphan.job_id
    # The dead worker's late reports no longer count.
    late = JobUpdate(orphan.job_id, "v1", "ready", 100.0, 1, playable=True, master_key="x")
    assert not await store.apply(late, "dead-worker")
    video = await store.get("v1")
    assert video is not None
    assert video.status == "processing"


async def test_a_job_that_keeps_losing_its_worker_fails(
    store_and_clock: tuple[VideoStore, SteppedClock],
) -> None:
    store, clock = store_and_clock
    await _queue(store, "v1")
    for attempt in range(MAX_CLAIMS):
        assert await store.claim(f"worker-{attempt}") is not None
        clock.now += STALE_AFTER_MS + 1

    assert await store.claim("worker-last") is None
    video = await store.get("v1")
    assert video is not None
    assert (video.status, video.error) == ("failed", "worker_lost")


async def test_a_released_job_is_handed_out_again_without_counting(
    store_and_clock: tuple[VideoStore, SteppedClock],
) -> None:
    store, _ = store_and_clock
    await _queue(store, "v1")
    job = await store.claim("worker-a")
    assert job is not None

    await store.release(job.job_id, "worker-a")

    assert await store.queue_length() == 1
    again = await store.claim("worker-b")
    assert again is not None
    assert again.job_id == job.job_id


async def test_the_quota_counts_every_video_that_did_not_fail(
    store_and_clock: tuple[VideoStore, SteppedClock],
) -> None:
    store, _ = store_and_clock
    await _queue(store, "v1")
    await store.create_rejected(
        video_id="v2",
        uploader_id="u1",
        room_code=None,
        filename="a.m4a",
        size=5000,
        reason="no_video_stream",
        expires_at=2_000_000_000_000,
    )

    assert await store.stored_bytes("u1") == 1000
    rejected = await store.get("v2")
    assert rejected is not None
    assert (rejected.status, rejected.error) == ("failed", "no_video_stream")


async def test_workers_claiming_at_the_same_moment_get_different_jobs(
    store_and_clock: tuple[VideoStore, SteppedClock],
) -> None:
    import trio

    store, clock = store_and_clock
    for index in range(4):
        await _queue(store, f"v{index}")
        clock.now += 1
    claimed: list[str] = []

    async def worker(name: str) -> None:
        job = await store.claim(name)
        assert job is not None
        claimed.append(job.video_id)

    async with trio.open_nursery() as nursery:
        for index in range(4):
            nursery.start_soon(worker, f"worker-{index}")

    assert sorted(claimed) == ["v0", "v1", "v2", "v3"]


async def test_expired_videos_and_their_objects_are_deleted(
    database: Database, tmp_path: Path
) -> None:
    from prometheus_client import CollectorRegistry

    from syncwatch.media.metrics import MediaMetrics
    from syncwatch.media.service import MediaConfig, MediaService
    from syncwatch.media.storage.files import FileStorage

    clock = SteppedClock()
    storage = FileStorage(tmp_path / "store")
    service = MediaService(
        config=MediaConfig(spool_dir=tmp_path / "spool", work_dir=tmp_path / "work"),
        db=database,
        storage=storage,
        clock=clock,  # type: ignore[arg-type]
        metrics=MediaMetrics(CollectorRegistry()),
    )
    await database.execute(
        "INSERT INTO users (id, email, username, username_key, password_hash, created_at,"
        " updated_at) VALUES ('u1', 'u1@example.org', 'Uploader', 'uploader', 'h', 1, 1)"
    )
    for video_id, expires_at in (("old", clock.now + 1000), ("new", clock.now + 10_000)):
        await service.videos.create_pending(
            video_id=video_id,
            uploader_id="u1",
            room_code=None,
            filename="a.mp4",
            size=1,
            media=INFO,
            expires_at=expires_at,
        )
        await storage.put_bytes(f"videos/{video_id}/hls/master.m3u8", b"#EXTM3U\n")

    clock.now += 5000
    removed = await service.expire_videos()

    assert removed == 1
    assert await service.videos.get("old") is None
    assert await storage.list_prefix("videos/old") == []
    assert await service.videos.get("new") is not None
    assert await storage.exists("videos/new/hls/master.m3u8")
