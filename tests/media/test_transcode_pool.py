"""Transcoding real clips into HLS that ffmpeg can decode, rendition by rendition."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import trio
import trio.testing

from syncwatch.media.ffmpeg import MediaInfo, probe
from syncwatch.media.hls_publisher import parse_media_playlist
from syncwatch.media.ladder import TranscodeSettings
from syncwatch.media.storage import MediaStorage
from syncwatch.media.storage.files import FileStorage
from syncwatch.media.transcode_pool import (
    JobUpdate,
    MemoryJobQueue,
    TranscodeJob,
    TranscodePool,
)
from tests.support.media import FFMPEG, MediaFixtures, ffmpeg_decodes, zombie_children

FAST = TranscodeSettings(preset="ultrafast", segment_seconds=1, threads=1)


class Recorder:
    def __init__(self) -> None:
        self.updates: list[JobUpdate] = []
        self.finished = trio.Event()
        self.processing = trio.Event()

    async def __call__(self, update: JobUpdate) -> None:
        self.updates.append(update)
        if update.state == "processing":
            self.processing.set()
        if update.state in ("ready", "failed"):
            self.finished.set()

    def states(self) -> list[str]:
        return [u.state for u in self.updates]


def _pool(
    storage: MediaStorage, tmp_path: Path, recorder: Recorder, **options: object
) -> TranscodePool:
    return TranscodePool(
        storage=storage,
        jobs=MemoryJobQueue(),
        work_root=tmp_path / "work",
        on_update=recorder,
        workers=1,
        settings=FAST,
        **options,  # type: ignore[arg-type]
    )


async def _store_source(storage: MediaStorage, clip: Path, video_id: str) -> TranscodeJob:
    await storage.put_file(f"videos/{video_id}/source", clip)
    info = await probe(clip)
    return TranscodeJob(
        job_id=f"job-{video_id}",
        video_id=video_id,
        source_key=f"videos/{video_id}/source",
        media=info,
        output_prefix=f"videos/{video_id}/hls",
    )


async def _download(storage: MediaStorage, prefix: str, into: Path) -> Path:
    for key in await storage.list_prefix(prefix):
        target = into / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(await storage.read(key))
    return into / prefix


def _renditions(master: str) -> list[str]:
    return [line for line in master.splitlines() if line and not line.startswith("#")]


async def _transcode_and_check(
    storage: MediaStorage, tmp_path: Path, clip: Path, video_id: str
) -> tuple[JobUpdate, list[str]]:
    recorder = Recorder()
    pool = _pool(storage, tmp_path, recorder)
    job = await _store_source(storage, clip, video_id)

    final = await pool.process(job)

    assert final.state == "ready", final
    hls = await _download(storage, job.output_prefix, tmp_path / "downloaded")
    renditions = _renditions((hls / "master.m3u8").read_text())
    for rendition in renditions:
        playlist = parse_media_playlist((hls / rendition).read_text())
        assert playlist.ended
        decoded, errors = ffmpeg_decodes(str(hls / rendition))
        assert decoded, f"{rendition}: {errors}"
    assert not (tmp_path / "work" / f"{job.job_id}-1").exists()
    return final, renditions


@pytest.mark.parametrize(
    "clip", ["h264_mp4", "vp9_webm", "hevc_mkv", "variable_frame_rate_mp4", "silent_mp4"]
)
async def test_every_accepted_kind_of_source_becomes_decodable_hls(
    media: MediaFixtures, tmp_path: Path, clip: str
) -> None:
    storage = FileStorage(tmp_path / "store")

    final, renditions = await _transcode_and_check(storage, tmp_path, getattr(media, clip), "v1")

    assert final.playable
    assert final.master_key == "videos/v1/hls/master.m3u8"
    assert renditions == ["180p/index.m3u8"]


async def test_subtitle_streams_inside_the_file_are_published_beside_the_hls(
    storage: MediaStorage, media: MediaFixtures, tmp_path: Path
) -> None:
    final, _ = await _transcode_and_check(storage, tmp_path, media.mkv_with_subrip, "subs")

    assert [(t.label, t.language) for t in final.subtitles] == [
        ("eng", "eng"),
        ("Français", "fre"),
    ]
    for track in final.subtitles:
        assert track.storage_key == f"videos/subs/subtitles/{track.track_id}.vtt"
        text = (await storage.read(track.storage_key)).decode()
        assert text.startswith("WEBVTT\n")
        assert "First line" in text
        assert len(text.encode()) == track.size_bytes


async def test_a_720p_source_gets_a_three_rung_ladder_on_both_storages(
    storage: MediaStorage, media: MediaFixtures, tmp_path: Path
) -> None:
    _, renditions = await _transcode_and_check(storage, tmp_path, media.h264_720p_mp4, "big")

    assert renditions == ["720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8"]
    master = (await storage.read("videos/big/hls/master.m3u8")).decode()
    assert "RESOLUTION=1280x720" in master
    assert "RESOLUTION=854x480" in master


async def test_progress_only_rises_and_ends_at_ready(media: MediaFixtures, tmp_path: Path) -> None:
    storage = FileStorage(tmp_path / "store")
    recorder = Recorder()
    pool = _pool(storage, tmp_path, recorder)
    job = await _store_source(storage, media.vp9_webm, "v2")

    await pool.process(job)

    assert recorder.states()[0] == "processing"
    assert recorder.states()[-1] == "ready"
    progress = [u.progress for u in recorder.updates]
    assert progress == sorted(progress)
    assert recorder.updates[-1].progress == 100.0
    assert recorder.updates[-1].elapsed_s is not None


@pytest.fixture
def stalled_source(tmp_path: Path) -> tuple[FileStorage, TranscodeJob]:
    """A job whose source is a pipe that never delivers a byte."""
    storage = FileStorage(tmp_path / "store")
    os.makedirs(storage.path_for("videos/s/source").parent)
    os.mkfifo(storage.path_for("videos/s/source"))
    info = MediaInfo(
        duration_s=60,
        has_video=True,
        has_audio=False,
        video_codec="h264",
        width=320,
        height=180,
        fps=25,
        pixel_format="yuv420p",
    )
    job = TranscodeJob("job-s", "s", "videos/s/source", info, "videos/s/hls")
    return storage, job


async def test_a_stalling_job_is_retried_with_backoff_then_fails(
    autojump_clock: trio.testing.MockClock,
    stalled_source: tuple[FileStorage, TranscodeJob],
    tmp_path: Path,
) -> None:
    storage, job = stalled_source
    recorder = Recorder()
    pool = _pool(storage, tmp_path, recorder)

    final = await pool.process(job)

    retries = [u for u in recorder.updates if u.state == "retrying"]
    assert [u.retry_in_s for u in retries] == [5.0, 30.0, 120.0]
    assert {u.reason for u in retries} == {"stalled"}
    assert final.state == "failed"
    assert final.reason == "stalled"
    assert final.attempt == 4
    assert pool.statistics.failed == 1
    assert zombie_children() == []


async def test_cancelling_the_pool_kills_ffmpeg_and_removes_partial_output(
    mock_clock: trio.testing.MockClock,
    stalled_source: tuple[FileStorage, TranscodeJob],
    tmp_path: Path,
) -> None:
    # Jump only when idle for a while: the clean-up's storage calls in worker
    # threads must finish inside their (mock) 30 s bound.
    mock_clock.autojump_threshold = 0.05
    storage, job = stalled_source
    await storage.put_bytes("videos/s/hls/360p/seg_00000.ts", b"left over from this job")
    recorder = Recorder()
    queue = MemoryJobQueue()
    pool = TranscodePool(
        storage=storage,
        jobs=queue,
        work_root=tmp_path / "work",
        on_update=recorder,
        workers=2,
        settings=FAST,
    )

    async with trio.open_nursery() as nursery:
        await nursery.start(pool.run)
        queue.submit(job)
        await recorder.processing.wait()
        assert pool.statistics.active_jobs == 1
        nursery.cancel_scope.cancel()

    assert zombie_children() == []
    assert _ffmpeg_children() == []
    assert await storage.list_prefix("videos/s/hls") == []
    assert list((tmp_path / "work").iterdir()) == []
    assert "failed" not in recorder.states()


def _ffmpeg_children() -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                children.append(int(entry.name))
    return children


async def test_a_restarted_pool_ends_the_work_a_killed_server_left_behind(tmp_path: Path) -> None:
    # What a server killed outright leaves: a work directory and an ffmpeg
    # (in its own session, so it survived) still writing HLS into it.
    leftover = tmp_path / "work" / "job-old-1" / "360p"
    leftover.mkdir(parents=True)
    orphan = await trio.lowlevel.open_process(
        [
            FFMPEG,
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x90:rate=25:duration=600",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-f",
            "hls",
            "-hls_time",
            "1",
            "-hls_flags",
            "temp_file",
            "-hls_segment_filename",
            str(leftover / "seg_%05d.ts"),
            str(leftover / "index.m3u8"),
        ],
        start_new_session=True,
    )
    try:
        pool = _pool(FileStorage(tmp_path / "store"), tmp_path, Recorder())
        async with trio.open_nursery() as nursery:
            await nursery.start(pool.run)
            with trio.fail_after(20):
                await orphan.wait()
            nursery.cancel_scope.cancel()
    finally:
        if orphan.returncode is None:
            orphan.kill()
            await orphan.wait()

    assert orphan.returncode != 0
    assert list((tmp_path / "work").iterdir()) == []


async def test_a_failing_update_callback_does_not_stop_the_pool(
    media: MediaFixtures, tmp_path: Path
) -> None:
    storage = FileStorage(tmp_path / "store")
    calls: list[str] = []

    async def broken(update: JobUpdate) -> None:
        calls.append(update.state)
        raise ConnectionError("the database went away")

    pool = TranscodePool(
        storage=storage,
        jobs=MemoryJobQueue(),
        work_root=tmp_path / "work",
        on_update=broken,
        workers=1,
        settings=FAST,
    )
    first = await pool.process(await _store_source(storage, media.silent_mp4, "a"))
    second = await pool.process(await _store_source(storage, media.silent_mp4, "b"))

    assert (first.state, second.state) == ("ready", "ready")
    assert calls.count("ready") == 2
