"""One supervised ffmpeg attempt: progress, the watchdog, and cancellation."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import trio
import trio.testing

from syncwatch.media.job_runner import ProcessLimits, TranscodeFailed, run_ffmpeg
from syncwatch.media.progress import ProgressEvent
from tests.support.media import FFMPEG, group_is_gone, zombie_children


def _command(source: str, *extra: str) -> list[str]:
    return [
        FFMPEG,
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-progress",
        "pipe:1",
        *extra,
        "-i",
        source,
        "-f",
        "null",
        "-",
    ]


def _lavfi(seconds: float) -> list[str]:
    return _command(f"testsrc2=size=160x90:rate=25:duration={seconds}", "-f", "lavfi")


@pytest.fixture
def never_ending_pipe(tmp_path: Path) -> Path:
    """A named pipe nobody writes to: ffmpeg opening it waits forever."""
    fifo = tmp_path / "stalled.ts"
    os.mkfifo(fifo)
    return fifo


async def test_progress_is_reported_until_the_end(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []

    await run_ffmpeg(_lavfi(2), duration_s=2, log_path=tmp_path / "log", on_progress=events.append)

    assert events[-1].finished
    assert events[-1].percent == 100.0
    percents = [e.percent for e in events]
    assert percents == sorted(percents)


async def test_a_stalled_ffmpeg_is_terminated_then_killed_by_the_watchdog(
    autojump_clock: trio.testing.MockClock, never_ending_pipe: Path, tmp_path: Path
) -> None:
    pids: list[int] = []
    started = trio.current_time()

    with pytest.raises(TranscodeFailed) as caught:
        await run_ffmpeg(
            _command(str(never_ending_pipe)),
            duration_s=60,
            log_path=tmp_path / "log",
            on_spawn=pids.append,
        )

    assert caught.value.reason == "stalled"
    assert caught.value.retryable
    # 120 s without progress, then SIGTERM; if ffmpeg (waiting on the pipe)
    # ignores it, SIGKILL 10 s later.
    assert 120 <= trio.current_time() - started <= 130.5
    assert group_is_gone(pids[0])
    assert zombie_children() == []


async def test_a_sigstopped_ffmpeg_counts_as_stalled(
    autojump_clock: trio.testing.MockClock, tmp_path: Path
) -> None:
    pids: list[int] = []

    def freeze(pid: int) -> None:
        pids.append(pid)
        os.killpg(pid, signal.SIGSTOP)

    started = trio.current_time()
    with pytest.raises(TranscodeFailed) as caught:
        await run_ffmpeg(_lavfi(600), duration_s=600, log_path=tmp_path / "log", on_spawn=freeze)

    assert caught.value.reason == "stalled"
    # A stopped process cannot act on SIGTERM: only the SIGKILL 10 s later ends it.
    assert trio.current_time() - started == pytest.approx(130, abs=0.5)
    assert group_is_gone(pids[0])
    assert zombie_children() == []


async def test_a_job_past_its_total_deadline_times_out(
    autojump_clock: trio.testing.MockClock, never_ending_pipe: Path, tmp_path: Path
) -> None:
    limits = ProcessLimits(timeout_floor_s=30, timeout_per_media_second=0.5)

    with pytest.raises(TranscodeFailed) as caught:
        await run_ffmpeg(
            _command(str(never_ending_pipe)),
            duration_s=60,
            limits=limits,
            log_path=tmp_path / "log",
        )

    # 30 s + 0.5 x 60 s = 60 s, sooner than the 120 s stall timeout.
    assert caught.value.reason == "timeout"


async def test_cancelling_an_attempt_leaves_no_process_behind(
    autojump_clock: trio.testing.MockClock, never_ending_pipe: Path, tmp_path: Path
) -> None:
    pids: list[int] = []
    with trio.CancelScope() as scope:

        def cancel_once_running(pid: int) -> None:
            pids.append(pid)
            scope.cancel()

        await run_ffmpeg(
            _command(str(never_ending_pipe)),
            duration_s=60,
            log_path=tmp_path / "log",
            on_spawn=cancel_once_running,
        )

    assert scope.cancelled_caught
    assert group_is_gone(pids[0])
    assert zombie_children() == []


async def test_an_input_ffmpeg_cannot_read_fails_without_retry(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.mkv"
    garbage.write_bytes(b"\x1a\x45\xdf\xa3" + os.urandom(4096))

    with pytest.raises(TranscodeFailed) as caught:
        await run_ffmpeg(_command(str(garbage)), duration_s=3, log_path=tmp_path / "log")

    assert caught.value.reason == "undecodable"
    assert not caught.value.retryable


async def test_the_address_space_limit_applies_to_ffmpeg(tmp_path: Path) -> None:
    tiny = ProcessLimits(memory_bytes=8 * 1024 * 1024)

    with pytest.raises(TranscodeFailed) as caught:
        await run_ffmpeg(_lavfi(1), duration_s=1, limits=tiny, log_path=tmp_path / "log")

    assert caught.value.reason in {"out_of_memory", "crashed", "ffmpeg_error"}
